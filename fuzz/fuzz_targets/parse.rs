//! Any bytes: parsing never panics; whatever parses is writable, and the
//! written file parses back to the same model (compared through the writer
//! and `Debug`, so NaN floats compare equal to themselves). A PMD model is
//! written as PMX, so only its header (format, version, encoding) changes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pmx_core::parse::parse;
use pmx_core::write::write_pmx;
use pmx_core::SourceFormat;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = parse(data) else {
        return;
    };
    let written = write_pmx(&model).expect("a parsed model must be writable");
    let again = parse(&written).expect("a written model must parse");
    let mut expected = model;
    if expected.header.format == SourceFormat::Pmd {
        assert_eq!(again.header.format, SourceFormat::Pmx);
        expected.header = again.header.clone();
    }
    assert_eq!(format!("{again:?}"), format!("{expected:?}"));
    let rewritten = write_pmx(&again).expect("re-write");
    assert!(rewritten == written, "second write differs");
});
