//! The shared real models: every fact in each `<name>/reference.json` holds
//! for the parsed model, and the writer reproduces the file byte for byte.
//!
//! The folder comes from `ANIMECELEB_TEST_MODELS`, default
//! `<repo>/tests/models` (shipped with the repository). A missing folder is a failure, not a skip.

use std::path::PathBuf;

use pmx_core::parse::parse;
use pmx_core::write::write_pmx;
use pmx_core::*;
use serde_json::Value;

fn models_dir() -> PathBuf {
    std::env::var_os("ANIMECELEB_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/models"))
}

/// (folder name, reference facts, model file bytes) for every shared model.
fn shared_models() -> Vec<(String, Value, Vec<u8>)> {
    let dir = models_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "shared models folder {} is missing ({e}); set ANIMECELEB_TEST_MODELS",
            dir.display()
        )
    });
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        let reference = path.join("reference.json");
        if !reference.is_file() {
            continue;
        }
        let facts: Value = serde_json::from_slice(&std::fs::read(&reference).unwrap()).unwrap();
        let file = path.join(
            facts["model"]
                .as_str()
                .expect("reference.json names its model"),
        );
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, facts, bytes));
    }
    assert!(
        !out.is_empty(),
        "no <name>/reference.json under {}",
        dir.display()
    );
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn as_usize(v: &Value) -> usize {
    v.as_u64().expect("a count") as usize
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_i64().expect("an integer"))
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

#[track_caller]
fn close(actual: &[f32], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (f64::from(*a) - e).abs() <= 1e-5,
            "{what}: {actual:?} vs {expected:?}"
        );
    }
}

/// Check one reference fact; unknown keys fail so no fact goes unchecked.
fn check_fact(m: &Model, key: &str, v: &Value) {
    let what = key;
    match key {
        "model" | "facts_from" => {}
        "format_version" => assert_eq!(f64::from(m.header.version), v.as_f64().unwrap(), "{what}"),
        "encoding" => assert_eq!(m.header.encoding.as_str(), v.as_str().unwrap(), "{what}"),
        "additional_uv_count" => assert_eq!(usize::from(m.header.additional_uv_count), as_usize(v)),
        "name" => assert_eq!(m.name, v.as_str().unwrap(), "{what}"),
        "name_en" => assert_eq!(m.name_en, v.as_str().unwrap(), "{what}"),
        "vertices" => assert_eq!(m.vertices.len(), as_usize(v), "{what}"),
        "faces" => assert_eq!(m.faces.len(), as_usize(v), "{what}"),
        "textures" => assert_eq!(m.textures, strings(v), "{what}"),
        "materials" => assert_eq!(m.materials.len(), as_usize(v), "{what}"),
        "bones" => assert_eq!(m.bones.len(), as_usize(v), "{what}"),
        "morphs" => assert_eq!(m.morphs.len(), as_usize(v), "{what}"),
        "rigid_bodies" => assert_eq!(m.rigid_bodies.len(), as_usize(v), "{what}"),
        "joints" => assert_eq!(m.joints.len(), as_usize(v), "{what}"),
        "soft_bodies" => assert_eq!(m.soft_bodies.len(), as_usize(v), "{what}"),
        "display_frames" => assert_eq!(m.display_frames.len(), as_usize(v), "{what}"),
        "material_names" => {
            let names: Vec<_> = m.materials.iter().map(|x| x.name.clone()).collect();
            assert_eq!(names, strings(v), "{what}");
        }
        "material_face_counts" => {
            // Triangles per material (index counts / 3); they cover the faces.
            let counts: Vec<i64> = m
                .materials
                .iter()
                .map(|x| i64::from(x.index_count / 3))
                .collect();
            assert_eq!(counts, ints(v), "{what}");
            assert_eq!(counts.iter().sum::<i64>() as usize, m.faces.len());
        }
        "material_textures" => {
            let t: Vec<i64> = m.materials.iter().map(|x| i64::from(x.texture)).collect();
            assert_eq!(t, ints(v), "{what}");
        }
        "bone_names" => {
            let names: Vec<_> = m.bones.iter().map(|b| b.name.clone()).collect();
            assert_eq!(names, strings(v), "{what}");
        }
        "bone_parents" => {
            let p: Vec<i64> = m.bones.iter().map(|b| i64::from(b.parent)).collect();
            assert_eq!(p, ints(v), "{what}");
        }
        "morph_names" => {
            let names: Vec<_> = m.morphs.iter().map(|x| x.name.clone()).collect();
            assert_eq!(names, strings(v), "{what}");
        }
        "morph_kinds" => {
            let kinds: Vec<_> = m
                .morphs
                .iter()
                .map(|x| x.kind.as_str().to_owned())
                .collect();
            assert_eq!(kinds, strings(v), "{what}");
        }
        "morph_panels" => {
            let panels: Vec<i64> = m.morphs.iter().map(|x| i64::from(x.panel)).collect();
            assert_eq!(panels, ints(v), "{what}");
        }
        "morph_element_counts" => {
            let counts: Vec<i64> = m.morphs.iter().map(|x| x.offsets.len() as i64).collect();
            assert_eq!(counts, ints(v), "{what}");
        }
        "first_positions" | "first_normals" | "first_uvs" => {
            let rows = v.as_array().unwrap();
            for (i, row) in rows.iter().enumerate() {
                let actual: &[f32] = match key {
                    "first_positions" => &m.vertices.positions[i],
                    "first_normals" => &m.vertices.normals[i],
                    _ => &m.vertices.uvs[i],
                };
                close(actual, &floats(row), &format!("{what}[{i}]"));
            }
        }
        "first_faces" => {
            for (i, row) in v.as_array().unwrap().iter().enumerate() {
                let face: Vec<i64> = m.faces[i].iter().map(|&x| i64::from(x)).collect();
                assert_eq!(face, ints(row), "{what}[{i}]");
            }
        }
        "neck_position" => {
            let neck = m.bone_index("首").expect("model has 首");
            close(&m.bones[neck].position, &floats(v), what);
        }
        "deform_counts" => {
            let names = ["BDEF1", "BDEF2", "BDEF4", "SDEF", "QDEF"];
            let mut counts = [0usize; 5];
            for d in &m.vertices.deforms {
                counts[usize::from(d.kind())] += 1;
            }
            let expected = v.as_object().unwrap();
            assert_eq!(expected.len(), 5, "{what}");
            for (name, count) in names.iter().zip(counts) {
                assert_eq!(count, as_usize(&expected[*name]), "{what} {name}");
            }
        }
        other => panic!("reference.json fact {other:?} is not checked by this test; add it"),
    }
}

#[test]
fn shared_models_match_their_reference_facts() {
    for (name, facts, bytes) in shared_models() {
        let m = parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (key, value) in facts.as_object().expect("reference.json is an object") {
            check_fact(&m, key, value);
        }
        assert_eq!(m.header.format, SourceFormat::Pmx, "{name}");
    }
}

#[test]
fn shared_models_write_back_byte_identical() {
    for (name, _, bytes) in shared_models() {
        let m = parse(&bytes).unwrap();
        let written = write_pmx(&m).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The shared files carry no extra header globals and no trailing
        // bytes, so the writer reproduces them exactly.
        assert_eq!(written.len(), bytes.len(), "{name}");
        assert!(written == bytes, "{name}: written file differs");
        assert_eq!(parse(&written).unwrap(), m, "{name}");
    }
}

#[test]
fn shared_models_rewrite_compact_and_in_utf8() {
    for (name, _, bytes) in shared_models() {
        let mut m = parse(&bytes).unwrap();
        m.header.index_sizes = IndexSizes::smallest_for(&m);
        let compact = write_pmx(&m).unwrap();
        assert!(compact.len() <= bytes.len(), "{name}");
        assert_eq!(parse(&compact).unwrap(), m, "{name}");
        m.header.encoding = Encoding::Utf8;
        assert_eq!(parse(&write_pmx(&m).unwrap()).unwrap(), m, "{name}");
    }
}
