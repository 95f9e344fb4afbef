//! The Academy Awards data set in the DLu `oscar_data` layout: a tab-separated file (despite its
//! `.csv` name) with a header row, one nomination per line, `|` joining several films, nominees
//! or details, `?` for an unknown IMDb id, and trailing empty fields left off.

use std::io::BufRead;

use kinograph_catalog::{
    AwardClass, Category, CeremonyYears, NominatedFilm, Nomination, Nominee, NomineeRef,
    Provenance, is_imdb_company_id, is_imdb_name_id, is_imdb_title_id,
};
use kinograph_store::Store;

use crate::{Error, Progress, Rejection, Result, Summary};

/// The award body the data set describes.
pub const BODY_ID: &str = "oscars";
pub const BODY_NAME: &str = "Academy Awards";

/// The header the layout starts with, column by column.
pub const HEADER: [&str; 14] = [
    "Ceremony",
    "Year",
    "Class",
    "CanonicalCategory",
    "Category",
    "Film",
    "FilmId",
    "Name",
    "Nominees",
    "NomineeIds",
    "Winner",
    "Detail",
    "Note",
    "Citation",
];

/// A row needs at least the columns up to `Category`; the rest may be left off when empty.
const MIN_FIELDS: usize = 5;

/// Rows written per transaction.
const BATCH_ROWS: usize = 2_000;

/// One line of the file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Nomination(Box<Nomination>),
    Rejected(Rejection),
}

/// Streams the rows of an Academy Awards file. Construction reads and checks the header, so a
/// file in another format is refused before any row is read.
#[derive(Debug)]
pub struct Reader<R> {
    input: R,
    dataset: String,
    line: u64,
    bytes_read: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Reader<R> {
    pub fn new(mut input: R, dataset: impl Into<String>) -> Result<Self> {
        let dataset = dataset.into();
        let wrong = |message: String| Error::WrongFormat {
            dataset: dataset.clone(),
            message,
        };
        let mut buf = Vec::new();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| wrong(format!("cannot read the header: {e}")))?;
        if read == 0 {
            return Err(wrong(
                "the file is empty (expected an Academy Awards header row)".into(),
            ));
        }
        let header = std::str::from_utf8(&buf)
            .map_err(|_| wrong("line 1: the header is not UTF-8 text".into()))?;
        let header = header.strip_prefix('\u{feff}').unwrap_or(header);
        let header = header.trim_end_matches(['\n', '\r']);
        let columns: Vec<&str> = header.split('\t').collect();
        if columns != HEADER {
            let hint = if columns.len() == 1 && header.contains(',') {
                " (this looks like a comma-separated file; the Academy Awards layout is tab-separated)"
            } else if columns.first() == Some(&"tconst") || columns.first() == Some(&"nconst") {
                " (this looks like an IMDb data file, which `import oscars` does not read)"
            } else {
                ""
            };
            let shown: String = header.chars().take(120).collect();
            return Err(wrong(format!(
                "line 1: not an Academy Awards file in the DLu layout{hint}: expected the tab-separated header \
                 `{}`, found `{shown}`",
                HEADER.join(" ")
            )));
        }
        Ok(Reader {
            input,
            dataset,
            line: 1,
            bytes_read: read as u64,
            buf,
        })
    }

    /// Bytes consumed so far, header included.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    fn reject(&self, message: impl Into<String>) -> Row {
        Row::Rejected(Rejection {
            line: self.line,
            message: message.into(),
        })
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            let read = match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(source) => {
                    return Some(Err(Error::Io {
                        path: self.dataset.clone().into(),
                        source,
                    }));
                }
            };
            self.line += 1;
            self.bytes_read += read as u64;
            let text = match std::str::from_utf8(&self.buf) {
                Ok(text) => text.trim_end_matches(['\n', '\r']),
                Err(e) => {
                    let at = e.valid_up_to();
                    return Some(Ok(
                        self.reject(format!("invalid UTF-8 at byte {at} of the line"))
                    ));
                }
            };
            if text.is_empty() {
                continue;
            }
            let source = Provenance::line(self.dataset.clone(), self.line);
            return Some(Ok(match parse_row(text, source) {
                Ok(nomination) => Row::Nomination(Box::new(nomination)),
                Err(message) => self.reject(message),
            }));
        }
    }
}

/// `|`-joined values; an empty field is no values.
fn multi(field: &str) -> Vec<&str> {
    if field.is_empty() {
        Vec::new()
    } else {
        field.split('|').collect()
    }
}

fn parse_row(text: &str, source: Provenance) -> Result<Nomination, String> {
    let fields: Vec<&str> = text.split('\t').collect();
    if !(MIN_FIELDS..=HEADER.len()).contains(&fields.len()) {
        return Err(format!(
            "wrong column count: {} fields, expected {} (trailing empty fields may be left off, down to {MIN_FIELDS})",
            fields.len(),
            HEADER.len()
        ));
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or("").trim();
    let ceremony: u32 = match field(0).parse() {
        Ok(n) if n > 0 => n,
        _ => {
            return Err(format!(
                "bad Ceremony {:?}: expected a positive whole number",
                field(0)
            ));
        }
    };
    let years: CeremonyYears = field(1).parse().map_err(|e| format!("Year: {e}"))?;
    let class: AwardClass = field(2).parse().map_err(|e| format!("Class: {e}"))?;
    let (canonical, name) = (field(3), field(4));
    if canonical.is_empty() || name.is_empty() {
        return Err("CanonicalCategory and Category must not be empty".into());
    }
    let films = parse_films(field(5), field(6))?;
    let nominees = parse_nominees(field(8), field(9))?;
    let winner = match field(10) {
        "True" | "true" | "TRUE" => true,
        "" | "False" | "false" | "FALSE" => false,
        other => {
            return Err(format!(
                "unknown Winner value {other:?}: expected True or empty"
            ));
        }
    };
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(Nomination {
        body: BODY_ID.to_string(),
        ceremony,
        years,
        category: Category {
            canonical: canonical.to_string(),
            name: name.to_string(),
            class,
        },
        films,
        credit: field(7).to_string(),
        nominees,
        winner,
        detail: multi(field(11)).into_iter().map(str::to_string).collect(),
        note: optional(field(12)),
        citation: optional(field(13)),
        source,
    })
}

fn parse_films(titles: &str, ids: &str) -> Result<Vec<NominatedFilm>, String> {
    let titles = multi(titles);
    let ids = multi(ids);
    if !ids.is_empty() && ids.len() != titles.len() {
        return Err(format!(
            "Film names {} titles but FilmId {} ids",
            titles.len(),
            ids.len()
        ));
    }
    titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let imdb_id = match ids.get(i).copied() {
                None | Some("?") | Some("") => None,
                Some(id) if is_imdb_title_id(id) => Some(id.to_string()),
                Some(id) => return Err(format!("bad FilmId {id:?}: expected tt… or ?")),
            };
            Ok(NominatedFilm {
                title: title.to_string(),
                imdb_id,
            })
        })
        .collect()
}

fn parse_nominees(names: &str, ids: &str) -> Result<Vec<Nominee>, String> {
    let names = multi(names);
    let ids = multi(ids);
    if !ids.is_empty() && ids.len() != names.len() {
        return Err(format!(
            "Nominees names {} people but NomineeIds {} ids",
            names.len(),
            ids.len()
        ));
    }
    let mut nominees = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        // One name can stand for several people: a shared pseudonym ("Roderick Jaynes", the
        // Coen brothers as editors) carries their ids joined by commas. Each is a nominee.
        let joint = ids.get(i).copied().unwrap_or("");
        let shared = joint.contains(',');
        for id in joint.split(',') {
            let id = match id.trim() {
                "" | "?" => NomineeRef::Unknown,
                id if is_imdb_name_id(id) => NomineeRef::Person(id.to_string()),
                id if is_imdb_company_id(id) => NomineeRef::Company(id.to_string()),
                id => {
                    return Err(format!(
                        "bad NomineeIds entry {id:?}: expected nm…, co… or ?"
                    ));
                }
            };
            nominees.push(Nominee {
                name: name.to_string(),
                id,
                shared,
            });
        }
    }
    Ok(nominees)
}

/// Imports every row of `reader` into `store`, [`BATCH_ROWS`] rows per transaction.
pub fn import<R: BufRead>(
    store: &mut Store,
    mut reader: Reader<R>,
    progress: &mut dyn Progress,
    total_bytes: Option<u64>,
) -> Result<Summary> {
    let mut summary = Summary::new(reader.dataset.clone());
    progress.start(total_bytes);
    store.write(|w| w.put_award_body(BODY_ID, BODY_NAME))?;
    let mut batch: Vec<Nomination> = Vec::with_capacity(BATCH_ROWS);
    let mut done = false;
    while !done {
        batch.clear();
        while batch.len() < BATCH_ROWS {
            match reader.next() {
                None => {
                    done = true;
                    break;
                }
                Some(row) => match row? {
                    Row::Nomination(n) => batch.push(*n),
                    Row::Rejected(r) => summary.rejected.push(r),
                },
            }
        }
        write_batch(store, &batch, &mut summary)?;
        progress.advance(reader.bytes_read());
    }
    progress.finish();
    Ok(summary)
}

fn write_batch(store: &mut Store, batch: &[Nomination], summary: &mut Summary) -> Result<()> {
    store.write(|w| {
        for nomination in batch {
            match w.put_nomination(nomination) {
                Ok(outcome) => summary.record("nominations", outcome),
                Err(kinograph_store::Error::Rejected(message)) => {
                    let line = line_of(&nomination.source);
                    summary.rejected.push(Rejection { line, message });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn line_of(source: &Provenance) -> u64 {
    source
        .locator
        .as_deref()
        .and_then(|l| l.strip_prefix("line "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "Ceremony\tYear\tClass\tCanonicalCategory\tCategory\tFilm\tFilmId\tName\tNominees\tNomineeIds\tWinner\tDetail\tNote\tCitation\n";

    fn rows(body: &str) -> Vec<Row> {
        let text = format!("{HEAD}{body}");
        Reader::new(text.as_bytes(), "test.tsv")
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    fn only_nomination(body: &str) -> Nomination {
        match rows(body).pop() {
            Some(Row::Nomination(n)) => *n,
            other => panic!("expected a nomination, got {other:?}"),
        }
    }

    fn only_rejection(body: &str) -> Rejection {
        match rows(body).pop() {
            Some(Row::Rejected(r)) => r,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn parses_a_full_row_with_several_films() {
        let n = only_nomination(
            "3\t1929/30\tActing\tACTOR IN A LEADING ROLE\tACTOR\tFirst Film|Second Film\ttt0000001|?\tAn Actor\tAn Actor\tnm0000001\tTrue\tA Part|Another Part\n",
        );
        assert_eq!(n.ceremony, 3);
        assert_eq!(
            n.years,
            CeremonyYears {
                first: 1929,
                last: 1930
            }
        );
        assert_eq!(n.films.len(), 2);
        assert_eq!(n.films[0].imdb_id.as_deref(), Some("tt0000001"));
        assert_eq!(n.films[1].imdb_id, None);
        assert_eq!(n.nominees[0].id, NomineeRef::Person("nm0000001".into()));
        assert!(n.winner);
        assert_eq!(n.detail, ["A Part", "Another Part"]);
        assert_eq!(n.source.locator.as_deref(), Some("line 2"));
    }

    #[test]
    fn company_ids_and_unknown_ids_among_nominees() {
        let n = only_nomination(
            "1\t1927/28\tTitle\tBEST PICTURE\tOUTSTANDING PICTURE\tA Film\ttt0000002\tA Studio\tA Studio|Someone\tco0000003|?\n",
        );
        assert_eq!(n.nominees[0].id, NomineeRef::Company("co0000003".into()));
        assert_eq!(n.nominees[1].id, NomineeRef::Unknown);
        assert!(!n.winner);
    }

    #[test]
    fn a_pseudonym_shared_by_several_people_names_each() {
        let n = only_nomination(
            "69\t1996\tProduction\tFILM EDITING\tFILM EDITING\tA Film\ttt0000004\tPen Name\tPen Name\tnm0000005,nm0000006\tTrue\n",
        );
        assert!(n.nominees.iter().all(|x| x.shared));
        let ids: Vec<_> = n
            .nominees
            .iter()
            .map(|x| (x.name.as_str(), x.id.clone()))
            .collect();
        assert_eq!(
            ids,
            [
                ("Pen Name", NomineeRef::Person("nm0000005".into())),
                ("Pen Name", NomineeRef::Person("nm0000006".into()))
            ]
        );
        assert!(
            only_rejection("1\t2020\tActing\tA\tA\tF\ttt0000001\tN\tN\tnm0000001,bogus\n")
                .message
                .contains("NomineeIds")
        );
    }

    #[test]
    fn rejects_malformed_rows_with_their_line() {
        let r = only_rejection("1\t2020\tActing\n");
        assert_eq!(r.line, 2);
        assert!(r.message.contains("wrong column count"), "{}", r.message);
        let too_many = format!("1\t2020\tActing\tA\tA{}\n", "\tx".repeat(10));
        assert!(
            only_rejection(&too_many)
                .message
                .contains("wrong column count")
        );
        assert!(
            only_rejection("1\t20x0\tActing\tA\tA\n")
                .message
                .contains("Year")
        );
        assert!(
            only_rejection("x\t2020\tActing\tA\tA\n")
                .message
                .contains("Ceremony")
        );
        assert!(
            only_rejection("1\t2020\tActing\tA\tA\tF\ttt0000001\tN\tN\tnm0000001\tYes\n")
                .message
                .contains("Winner")
        );
        assert!(
            only_rejection("1\t2020\tActing\tA\tA\tF|G\ttt0000001\n")
                .message
                .contains("FilmId")
        );
        assert!(
            only_rejection("1\t2020\tBogus\tA\tA\n")
                .message
                .contains("Class")
        );
        assert!(
            only_rejection("1\t2020\tActing\tA\tA\tF\tnm0000001\n")
                .message
                .contains("FilmId")
        );
    }

    #[test]
    fn rejects_invalid_utf8_and_goes_on() {
        let mut text = HEAD.as_bytes().to_vec();
        text.extend_from_slice(b"1\t2020\tActing\tA\tB\tF\xff\n");
        text.extend_from_slice(b"1\t2020\tActing\tA\tB\tGood\n");
        let rows: Vec<Row> = Reader::new(&text[..], "t")
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(matches!(&rows[0], Row::Rejected(r) if r.line == 2 && r.message.contains("UTF-8")));
        assert!(matches!(&rows[1], Row::Nomination(n) if n.films[0].title == "Good"));
    }

    #[test]
    fn handles_crlf_blank_lines_and_a_bom() {
        let text = format!("\u{feff}{}\r\n1\t2020\tActing\tA\tB\r\n\n", HEAD.trim_end());
        let rows: Vec<Row> = Reader::new(text.as_bytes(), "t")
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(rows.len(), 1);
        assert!(matches!(&rows[0], Row::Nomination(n) if n.category.name == "B"));
    }

    #[test]
    fn refuses_files_in_other_formats() {
        let refuse = |text: &str| match Reader::new(text.as_bytes(), "f") {
            Err(Error::WrongFormat { message, .. }) => message,
            other => panic!("expected WrongFormat, got {other:?}"),
        };
        assert!(refuse("").contains("empty"));
        assert!(refuse("year,imdb,title\n2013,tt1711425,21 & Over\n").contains("comma-separated"));
        assert!(refuse("tconst\ttitleType\tprimaryTitle\n").contains("IMDb"));
        assert!(refuse("Ceremony\tYear\n").contains("expected the tab-separated header"));
    }
}
