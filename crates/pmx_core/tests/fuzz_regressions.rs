//! Inputs the fuzzer (bench/fuzz.sh) found, kept as regression tests: each
//! either parses into a model the writer accepts and round-trips, or fails
//! with the typed error noted here.

use pmx_core::parse::parse;
use pmx_core::write::write_pmx;
use pmx_core::ErrorKind;

fn input(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(name);
    std::fs::read(path).unwrap()
}

/// A PMD file whose materials draw none of its 3 face indices parsed, but the
/// writer (rightly) refused the model. Now the parser refuses it, as PMX's does.
#[test]
fn pmd_faces_no_material_draws_are_refused() {
    let e = parse(&input("pmd_uncovered_faces.bin")).unwrap_err();
    assert_eq!((e.kind, e.section), (ErrorKind::InvalidValue, "materials"));
    assert!(
        e.message.contains("draw 0 face indices, the model has 3"),
        "{e}"
    );
}

/// Every kept input: whatever parses must be writable (the fuzz invariant).
#[test]
fn every_kept_input_keeps_the_fuzz_invariant() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(model) = parse(&data) {
            let written = write_pmx(&model).unwrap();
            parse(&written).unwrap();
        }
        n += 1;
    }
    assert!(n >= 1);
}
