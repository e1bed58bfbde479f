//! A broken-file corpus derived from a good written file: every error is
//! typed, names its section and item, and points at the exact byte.

mod common;

use common::*;
use pmx_core::parse::parse;
use pmx_core::parse::pmx::parse_pmx;
use pmx_core::write::write_pmx;
use pmx_core::*;

/// 2.1, UTF-16, every index 1 byte, 2 additional UVs: offsets of single-byte
/// indices can be patched directly.
fn good() -> Model {
    full_model(Spec::default())
}

fn good_bytes() -> Vec<u8> {
    write_pmx(&good()).unwrap()
}

fn patched(base: &[u8], at: usize, new: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    b[at..at + new.len()].copy_from_slice(new);
    b
}

#[track_caller]
fn expect(bytes: &[u8], kind: ErrorKind, section: &str, item: Option<usize>, offset: usize) {
    let e = parse(bytes).expect_err("broken file should not parse");
    assert_eq!(
        (e.kind, e.section, e.item, e.offset),
        (kind, section, item, offset),
        "{e}"
    );
    assert!(!e.message.is_empty());
}

#[test]
fn every_truncation_is_a_typed_error() {
    for (version, encoding) in [(2.1, Encoding::Utf16), (2.0, Encoding::Utf8)] {
        let bytes = write_pmx(&full_model(Spec {
            version,
            encoding,
            sizes: IndexSizes {
                vertex: 2,
                bone: 4,
                ..sizes_all(1)
            },
            ..Spec::default()
        }))
        .unwrap();
        assert!(parse(&bytes).is_ok());
        for len in 0..bytes.len() {
            let e = parse(&bytes[..len]).expect_err("a prefix should not parse");
            let expected = if len < 4 {
                ErrorKind::BadMagic
            } else {
                ErrorKind::Truncated
            };
            assert_eq!(e.kind, expected, "prefix {len}: {e}");
            assert!(e.offset <= len, "prefix {len}: {e}");
        }
    }
}

#[test]
fn header_errors() {
    let b = good_bytes();
    expect(
        &patched(&b, 0, b"PMX!"),
        ErrorKind::BadMagic,
        "header",
        None,
        0,
    );
    let e = parse_pmx(&patched(&b, 0, b"Pmd ")).unwrap_err();
    assert_eq!((e.kind, e.offset), (ErrorKind::BadMagic, 0));
    expect(
        &patched(&b, 4, &3.0f32.to_le_bytes()),
        ErrorKind::UnsupportedVersion,
        "header",
        None,
        4,
    );
    expect(
        &patched(&b, 4, &2.2f32.to_le_bytes()),
        ErrorKind::UnsupportedVersion,
        "header",
        None,
        4,
    );
    expect(
        &patched(&b, 8, &[7]),
        ErrorKind::InvalidValue,
        "header",
        None,
        8,
    );
    expect(
        &patched(&b, 9, &[2]),
        ErrorKind::InvalidValue,
        "header",
        None,
        9,
    );
    expect(
        &patched(&b, 10, &[5]),
        ErrorKind::InvalidValue,
        "header",
        None,
        10,
    );
    for k in 0..6 {
        for bad in [0, 3, 8] {
            expect(
                &patched(&b, 11 + k, &[bad]),
                ErrorKind::InvalidValue,
                "header",
                None,
                11 + k,
            );
        }
    }
    expect(&b[..12], ErrorKind::Truncated, "header", None, 12);
}

#[test]
fn extra_globals_and_trailing_bytes_are_tolerated() {
    let m = good();
    let b = write_pmx(&m).unwrap();
    // Two extra globals after the eight defined ones.
    let mut extra = b[..17].to_vec();
    extra[8] = 10;
    extra.extend_from_slice(&[0xAB, 0xCD]);
    extra.extend_from_slice(&b[17..]);
    assert_eq!(parse(&extra).unwrap(), m);
    // Junk after the last section.
    let mut junk = b.clone();
    junk.extend_from_slice(b"\0\0\0\0trailing junk");
    assert_eq!(parse(&junk).unwrap(), m);
}

#[test]
fn text_errors() {
    let b = good_bytes();
    // Model name: length at 17, text at 21.
    expect(
        &patched(&b, 17, &0x7fff_fff0i32.to_le_bytes()),
        ErrorKind::Truncated,
        "header",
        None,
        21,
    );
    expect(
        &patched(&b, 17, &(-1i32).to_le_bytes()),
        ErrorKind::InvalidValue,
        "header",
        None,
        17,
    );
    // A lone surrogate.
    expect(
        &patched(&b, 21, &[0x00, 0xD8]),
        ErrorKind::BadText,
        "header",
        None,
        17,
    );
    // Invalid UTF-8.
    let b8 = write_pmx(&full_model(Spec {
        encoding: Encoding::Utf8,
        ..Spec::default()
    }))
    .unwrap();
    expect(
        &patched(&b8, 21, &[0xFF]),
        ErrorKind::BadText,
        "header",
        None,
        17,
    );
    // A texture path longer than the file.
    let m = good();
    let mut longer = m.clone();
    longer.textures[0].push('x');
    let at = locate(&m, &longer);
    expect(
        &patched(&b, at, &0x0100_0000i32.to_le_bytes()),
        ErrorKind::Truncated,
        "textures",
        Some(0),
        at + 4,
    );
}

type Edit = fn(&mut Model);

/// Offset of each section's count, found by adding one item to the model.
fn count_offsets() -> Vec<(&'static str, usize)> {
    let m = good();
    let grow: Vec<(&str, Edit)> = vec![
        ("vertices", |m| {
            let v = &mut m.vertices;
            v.positions.push([0.0; 3]);
            v.normals.push([0.0; 3]);
            v.uvs.push([0.0; 2]);
            for c in &mut v.additional_uvs {
                c.push([0.0; 4]);
            }
            v.deforms.push(Deform::Bdef1 { bone: 0 });
            v.edge_scales.push(1.0);
        }),
        ("faces", |m| {
            m.faces.push([0, 0, 0]);
            m.materials[3].index_count += 3;
        }),
        ("textures", |m| m.textures.push(String::new())),
        ("materials", |m| m.materials.push(Material::default())),
        ("bones", |m| m.bones.push(Bone::default())),
        ("morphs", |m| {
            m.morphs.push(Morph {
                name: String::new(),
                name_en: String::new(),
                panel: 0,
                kind: MorphKind::Group,
                offsets: MorphOffsets::Group(vec![]),
            })
        }),
        ("display_frames", |m| {
            m.display_frames.push(DisplayFrame::default())
        }),
        ("rigid_bodies", |m| {
            m.rigid_bodies.push(RigidBody::default())
        }),
        ("joints", |m| m.joints.push(Joint::default())),
        ("soft_bodies", |m| m.soft_bodies.push(SoftBody::default())),
    ];
    grow.into_iter()
        .map(|(section, edit)| {
            let mut bigger = m.clone();
            edit(&mut bigger);
            (section, locate(&m, &bigger))
        })
        .collect()
}

#[test]
fn negative_and_huge_counts() {
    let b = good_bytes();
    for (section, at) in count_offsets() {
        expect(
            &patched(&b, at, &(-1i32).to_le_bytes()),
            ErrorKind::InvalidValue,
            section,
            None,
            at,
        );
        expect(
            &patched(&b, at, &i32::MIN.to_le_bytes()),
            ErrorKind::InvalidValue,
            section,
            None,
            at,
        );
        // 0x7fffffff items with a few kilobytes left: rejected before any
        // allocation (allocating for them would abort the test).
        expect(
            &patched(&b, at, &i32::MAX.to_le_bytes()),
            ErrorKind::Truncated,
            section,
            None,
            at + 4,
        );
    }
}

#[test]
fn vertex_count_offset_from_the_layout() {
    let m = good();
    let header = 17
        + [&m.name, &m.name_en, &m.comment, &m.comment_en]
            .iter()
            .map(|s| 4 + text_len(s, Encoding::Utf16))
            .sum::<usize>();
    let (section, at) = count_offsets()[0];
    assert_eq!((section, at), ("vertices", header));
    // Each vertex: 32 + 16 * 2 additional UVs + type + bones + weights + edge.
    let b = good_bytes();
    assert_eq!(b[header + 4 + 64], 0, "vertex 0 is BDEF1");
    expect(
        &patched(&b, header + 4 + 64, &[9]),
        ErrorKind::InvalidValue,
        "vertices",
        Some(0),
        header + 4 + 64,
    );
    // Vertex 0 is BDEF1 (bone + weightless) = 64 + 1 + 1 + 4 = 70 bytes;
    // vertex 1 is BDEF2: its second bone is at 64 + 1 + 1 after its start.
    let v1_bone1 = header + 4 + 70 + 64 + 1 + 1;
    expect(
        &patched(&b, v1_bone1, &[100]),
        ErrorKind::IndexOutOfRange,
        "vertices",
        Some(1),
        v1_bone1,
    );
}

#[test]
fn face_count_not_divisible_by_three() {
    let b = good_bytes();
    let (_, at) = count_offsets()[1];
    expect(
        &patched(&b, at, &13i32.to_le_bytes()),
        ErrorKind::InvalidValue,
        "faces",
        None,
        at,
    );
}

/// Locate an index by writing it with two valid values, then patch in an
/// invalid one: the error must point at exactly that byte.
fn check_patch(
    case: &str,
    edit: Edit,
    bad: u8,
    kind: ErrorKind,
    section: &str,
    item: Option<usize>,
) {
    let m = good();
    let mut other = m.clone();
    edit(&mut other);
    let at = locate(&m, &other);
    let b = patched(&write_pmx(&m).unwrap(), at, &[bad]);
    let e = parse(&b).expect_err(case);
    assert_eq!(
        (e.kind, e.section, e.item, e.offset),
        (kind, section, item, at),
        "{case}: {e}"
    );
}

fn morph<T>(m: &mut Model, i: usize, f: impl FnOnce(&mut MorphOffsets) -> T) -> T {
    f(&mut m.morphs[i].offsets)
}

#[test]
fn index_out_of_range_in_each_table() {
    use MorphOffsets as O;
    // (what, edit to another valid value, invalid byte, section, item)
    let cases: Vec<(&str, Edit, u8, &str, usize)> = vec![
        ("face vertex", |m| m.faces[1][2] = 5, 8, "faces", 1),
        ("face vertex 255", |m| m.faces[1][2] = 5, 0xFF, "faces", 1),
        (
            "deform bone",
            |m| {
                m.vertices.deforms[1] = Deform::Bdef2 {
                    bones: [0, 2],
                    weight: 0.25,
                }
            },
            7,
            "vertices",
            1,
        ),
        (
            "deform bone -2",
            |m| {
                m.vertices.deforms[1] = Deform::Bdef2 {
                    bones: [0, 2],
                    weight: 0.25,
                }
            },
            0xFE,
            "vertices",
            1,
        ),
        ("texture", |m| m.materials[0].texture = 1, 3, "materials", 0),
        (
            "sphere texture",
            |m| m.materials[0].sphere_texture = 1,
            0x7F,
            "materials",
            0,
        ),
        (
            "toon texture",
            |m| m.materials[0].toon = Toon::Texture(0),
            3,
            "materials",
            0,
        ),
        ("bone parent", |m| m.bones[3].parent = 1, 7, "bones", 3),
        (
            "forward bone parent",
            |m| m.bones[5].parent = 5,
            0x7F,
            "bones",
            5,
        ),
        (
            "tail bone",
            |m| m.bones[1].tail = BoneTail::Bone(3),
            7,
            "bones",
            1,
        ),
        (
            "append parent",
            |m| m.bones[2].append.as_mut().unwrap().parent = 0,
            0xFE,
            "bones",
            2,
        ),
        (
            "IK target -1",
            |m| m.bones[4].ik.as_mut().unwrap().target = 2,
            0xFF,
            "bones",
            4,
        ),
        (
            "IK link",
            |m| m.bones[4].ik.as_mut().unwrap().links[1].bone = 0,
            7,
            "bones",
            4,
        ),
        (
            "group morph",
            |m| {
                morph(m, 1, |o| {
                    if let O::Group(v) = o {
                        v[1].morph = 3
                    }
                })
            },
            12,
            "morphs",
            1,
        ),
        (
            "vertex morph",
            |m| {
                morph(m, 0, |o| {
                    if let O::Vertex(v) = o {
                        v[1].vertex = 6
                    }
                })
            },
            8,
            "morphs",
            0,
        ),
        (
            "bone morph",
            |m| {
                morph(m, 2, |o| {
                    if let O::Bone(v) = o {
                        v[0].bone = 2
                    }
                })
            },
            7,
            "morphs",
            2,
        ),
        (
            "uv morph",
            |m| {
                morph(m, 3, |o| {
                    if let O::Uv(v) = o {
                        v[0].vertex = 1
                    }
                })
            },
            8,
            "morphs",
            3,
        ),
        (
            "material morph",
            |m| {
                morph(m, 8, |o| {
                    if let O::Material(v) = o {
                        v[1].material = 2
                    }
                })
            },
            4,
            "morphs",
            8,
        ),
        (
            "material morph -2",
            |m| {
                morph(m, 8, |o| {
                    if let O::Material(v) = o {
                        v[0].material = 0
                    }
                })
            },
            0xFE,
            "morphs",
            8,
        ),
        (
            "flip morph",
            |m| {
                morph(m, 10, |o| {
                    if let O::Flip(v) = o {
                        v[0].morph = 0
                    }
                })
            },
            0x7F,
            "morphs",
            10,
        ),
        (
            "impulse rigid body",
            |m| {
                morph(m, 11, |o| {
                    if let O::Impulse(v) = o {
                        v[1].rigid_body = 2
                    }
                })
            },
            3,
            "morphs",
            11,
        ),
        (
            "display bone",
            |m| m.display_frames[0].items[0] = DisplayItem::Bone(1),
            7,
            "display_frames",
            0,
        ),
        (
            "display morph",
            |m| m.display_frames[1].items[0] = DisplayItem::Morph(1),
            0xFF,
            "display_frames",
            1,
        ),
        (
            "rigid body bone",
            |m| m.rigid_bodies[0].bone = 2,
            7,
            "rigid_bodies",
            0,
        ),
        ("joint rigid a", |m| m.joints[0].rigid_a = 1, 3, "joints", 0),
        (
            "joint rigid b",
            |m| m.joints[0].rigid_b = 0,
            0xFE,
            "joints",
            0,
        ),
        (
            "soft body material",
            |m| m.soft_bodies[0].material = 1,
            4,
            "soft_bodies",
            0,
        ),
        (
            "anchor rigid body",
            |m| m.soft_bodies[0].anchors[0].rigid_body = 1,
            3,
            "soft_bodies",
            0,
        ),
        (
            "anchor vertex",
            |m| m.soft_bodies[0].anchors[0].vertex = 2,
            8,
            "soft_bodies",
            0,
        ),
        ("pin", |m| m.soft_bodies[0].pins[0] = 1, 8, "soft_bodies", 0),
    ];
    for (case, edit, bad, section, item) in cases {
        check_patch(
            case,
            edit,
            bad,
            ErrorKind::IndexOutOfRange,
            section,
            Some(item),
        );
    }
}

#[test]
fn invalid_enum_bytes() {
    let cases: Vec<(&str, Edit, u8, &str, usize)> = vec![
        (
            "deform type",
            |m| {
                m.vertices.deforms[0] = Deform::Bdef2 {
                    bones: [0, 0],
                    weight: 0.0,
                }
            },
            5,
            "vertices",
            0,
        ),
        (
            "sphere mode",
            |m| m.materials[0].sphere_mode = SphereMode::Add,
            4,
            "materials",
            0,
        ),
        (
            "toon flag",
            |m| m.materials[0].toon = Toon::Shared(1),
            2,
            "materials",
            0,
        ),
        (
            "shared toon",
            |m| m.materials[1].toon = Toon::Shared(8),
            10,
            "materials",
            1,
        ),
        (
            "IK limit flag",
            |m| {
                m.bones[4].ik.as_mut().unwrap().links[1].limits =
                    m.bones[4].ik.as_ref().unwrap().links[0].limits
            },
            2,
            "bones",
            4,
        ),
        (
            "morph type",
            |m| {
                m.morphs[9].kind = MorphKind::Uv;
                m.morphs[9].offsets = MorphOffsets::Uv(vec![]);
            },
            11,
            "morphs",
            9,
        ),
        (
            "material op",
            |m| {
                morph(m, 8, |o| {
                    if let MorphOffsets::Material(v) = o {
                        v[0].op = MaterialOp::Add
                    }
                })
            },
            2,
            "morphs",
            8,
        ),
        (
            "impulse local",
            |m| {
                morph(m, 11, |o| {
                    if let MorphOffsets::Impulse(v) = o {
                        v[0].local = false
                    }
                })
            },
            2,
            "morphs",
            11,
        ),
        (
            "display special",
            |m| m.display_frames[2].special = true,
            2,
            "display_frames",
            2,
        ),
        (
            "display item type",
            |m| m.display_frames[0].items[0] = DisplayItem::Morph(0),
            2,
            "display_frames",
            0,
        ),
        (
            "rigid shape",
            |m| m.rigid_bodies[0].shape = 1,
            3,
            "rigid_bodies",
            0,
        ),
        (
            "rigid mode",
            |m| m.rigid_bodies[0].physics_mode = 1,
            3,
            "rigid_bodies",
            0,
        ),
        ("joint type", |m| m.joints[0].kind = 1, 6, "joints", 0),
        (
            "soft body shape",
            |m| m.soft_bodies[0].shape = 1,
            2,
            "soft_bodies",
            0,
        ),
    ];
    for (case, edit, bad, section, item) in cases {
        check_patch(
            case,
            edit,
            bad,
            ErrorKind::InvalidValue,
            section,
            Some(item),
        );
    }
}

#[test]
fn pmx_21_data_in_a_20_file() {
    let m = good();
    let b = patched(&write_pmx(&m).unwrap(), 4, &2.0f32.to_le_bytes());
    // The first 2.1-only thing is vertex 4's QDEF type byte.
    let mut other = m.clone();
    other.vertices.deforms[4] = Deform::Bdef1 { bone: 0 };
    let at = locate(&m, &other);
    expect(&b, ErrorKind::InvalidValue, "vertices", Some(4), at);
}

#[test]
fn material_face_counts_must_cover_the_faces() {
    let m = good();
    let b = write_pmx(&m).unwrap();
    // Material 3's count is the last field before the bone count.
    let bones_at = count_offsets()[4].1;
    let last = bones_at - 4;
    assert_eq!(&b[last..bones_at], &3i32.to_le_bytes());
    // Too many: material 3 runs past the 12 face indices.
    expect(
        &patched(&b, last, &6i32.to_le_bytes()),
        ErrorKind::IndexOutOfRange,
        "materials",
        Some(3),
        last,
    );
    // Not a multiple of 3.
    expect(
        &patched(&b, last, &2i32.to_le_bytes()),
        ErrorKind::InvalidValue,
        "materials",
        Some(3),
        last,
    );
    // Too few: reported at the end of the materials section.
    expect(
        &patched(&b, last, &0i32.to_le_bytes()),
        ErrorKind::InvalidValue,
        "materials",
        None,
        bones_at,
    );
}

/// The fuzz target's property, deterministically: every single-byte change
/// of a good file either fails with a typed error or parses into a model
/// that writes and re-parses to itself.
#[test]
fn every_single_byte_corruption_is_handled() {
    let b = good_bytes();
    let mut parsed = 0;
    for at in 0..b.len() {
        for value in [0x00, 0x7F, 0x80, 0xFF, b[at] ^ 0x01] {
            if value == b[at] {
                continue;
            }
            let Ok(m) = parse(&patched(&b, at, &[value])) else {
                continue;
            };
            parsed += 1;
            let written = write_pmx(&m).unwrap_or_else(|e| panic!("byte {at}={value}: {e}"));
            let again = parse(&written).unwrap();
            assert_eq!(format!("{again:?}"), format!("{m:?}"), "byte {at}={value}");
        }
    }
    assert!(parsed > 1000, "only {parsed} corruptions parsed");
}
