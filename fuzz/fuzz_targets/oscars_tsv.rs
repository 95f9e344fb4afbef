//! The Academy Awards file (`kinograph import oscars`): any bytes, header included, give a
//! reader or a format error, then rows, rejections or an I/O error — never a panic.
#![no_main]

use kinograph_import::oscars::{Reader, Row};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Half the inputs get the real header, so the fuzzer spends its time on the rows.
    let with_header;
    let input = match data.split_first() {
        Some((&flag, rest)) if flag & 1 == 1 => {
            with_header = [
                kinograph_import::oscars::HEADER.join("\t").as_bytes(),
                b"\n",
                rest,
            ]
            .concat();
            &with_header[..]
        }
        _ => data,
    };
    let Ok(reader) = Reader::new(input, "fuzz.tsv") else {
        return;
    };
    let mut last_line = 1;
    for row in reader {
        let Ok(row) = row else { break };
        if let Row::Rejected(rejection) = row {
            assert!(
                rejection.line > last_line,
                "{rejection:?} after line {last_line}"
            );
            last_line = rejection.line;
        }
    }
});
