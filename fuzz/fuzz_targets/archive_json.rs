//! A user archive (`kinograph import archive FILE.json`), the JSON format of everything a
//! reader owns: any bytes are an archive, an `Invalid` error with its line, or `WrongFormat`
//! for another format or version — never a panic.
#![no_main]

use kinograph_import::diary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = kinograph_fuzz::write_scratch("archive.json", data);
    let _ = diary::read_archive(&path);
});
