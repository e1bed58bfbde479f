//! Edge-case files made with the writer, then parsed: parse(write(m)) == m.

mod common;

use common::*;
use pmx_core::bone_flags::*;
use pmx_core::parse::{parse, parse_file};
use pmx_core::write::{write_pmx, write_pmx_file};
use pmx_core::*;

fn spec() -> Spec {
    Spec::default()
}

#[test]
fn full_model_both_versions_both_encodings() {
    for version in [2.0, 2.1] {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let m = full_model(Spec {
                version,
                encoding,
                ..spec()
            });
            let bytes = round_trip(&m);
            assert_eq!(&bytes[..4], b"PMX ");
            assert_eq!(bytes[9], u8::from(encoding == Encoding::Utf8));
        }
    }
}

#[test]
fn japanese_names_are_stored_in_the_chosen_encoding() {
    for encoding in [Encoding::Utf16, Encoding::Utf8] {
        let m = full_model(Spec { encoding, ..spec() });
        let bytes = write_pmx(&m).unwrap();
        // Model name right after the 17-byte header.
        let len = i32::from_le_bytes(bytes[17..21].try_into().unwrap()) as usize;
        assert_eq!(len, text_len("テストモデル", encoding));
        let expected = pmx_core::parse::text::encode("テストモデル", encoding).unwrap();
        assert_eq!(&bytes[21..21 + len], &expected[..]);
        let back = parse(&bytes).unwrap();
        assert_eq!(back.name, "テストモデル");
        assert_eq!(back.bones[4].name, "左足ＩＫ");
        assert_eq!(back.textures[0], "tex\\顔.png");
        assert_eq!(back.header.encoding, encoding);
    }
}

#[test]
fn shift_jis_model_is_written_as_utf16() {
    let mut m = full_model(spec());
    m.header.encoding = Encoding::ShiftJis;
    let bytes = write_pmx(&m).unwrap();
    assert_eq!(bytes[9], 0);
    let back = parse(&bytes).unwrap();
    assert_eq!(back.header.encoding, Encoding::Utf16);
    m.header.encoding = Encoding::Utf16;
    assert_eq!(back, m);
}

#[test]
fn every_index_size_for_every_kind() {
    for size in [1, 2, 4] {
        round_trip(&full_model(Spec {
            sizes: sizes_all(size),
            ..spec()
        }));
    }
    // Each kind on its own at each width, the others at another width.
    for size in [1u8, 2, 4] {
        let other = if size == 4 { 1 } else { 4 };
        for kind in 0..6 {
            let mut s = sizes_all(other);
            let slot = match kind {
                0 => &mut s.vertex,
                1 => &mut s.texture,
                2 => &mut s.material,
                3 => &mut s.bone,
                4 => &mut s.morph,
                _ => &mut s.rigid_body,
            };
            *slot = size;
            let m = full_model(Spec { sizes: s, ..spec() });
            let bytes = round_trip(&m);
            assert_eq!(parse(&bytes).unwrap().header.index_sizes, s);
        }
    }
}

/// A model with `n` BDEF1 vertices and one face using the last vertex.
fn many_vertices(n: usize, vertex_size: u8) -> Model {
    let mut m = Model::default();
    m.header.index_sizes = IndexSizes {
        vertex: vertex_size,
        ..sizes_all(1)
    };
    m.vertices = Vertices {
        positions: (0..n).map(|i| [i as f32, 0.0, 0.0]).collect(),
        normals: vec![[0.0, 1.0, 0.0]; n],
        uvs: vec![[0.0; 2]; n],
        additional_uvs: vec![],
        deforms: vec![Deform::Bdef1 { bone: -1 }; n],
        edge_scales: vec![1.0; n],
    };
    let last = (n - 1) as u32;
    m.faces = vec![[last, 0, last]];
    m.materials = vec![Material {
        index_count: 3,
        ..Material::default()
    }];
    m
}

#[test]
fn vertex_indices_are_unsigned_at_255_and_65535() {
    // 256 vertices in 1 byte: index 255 is 0xFF, not -1.
    let m = many_vertices(256, 1);
    let bytes = round_trip(&m);
    assert_eq!(parse(&bytes).unwrap().faces[0], [255, 0, 255]);
    // 65536 vertices in 2 bytes: index 65535 is 0xFFFF.
    let m = many_vertices(65536, 2);
    let bytes = round_trip(&m);
    assert_eq!(parse(&bytes).unwrap().faces[0], [65535, 0, 65535]);
    // One more vertex does not fit either width.
    for (n, size) in [(257, 1), (65537, 2)] {
        let e = write_pmx(&many_vertices(n, size)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unwritable, "{e}");
        assert_eq!(e.section, "header");
    }
    round_trip(&many_vertices(65537, 4));
}

#[test]
fn signed_index_widths_hold_128_and_32768_items() {
    let bones = |n: usize| -> Vec<Bone> {
        (0..n)
            .map(|i| Bone {
                name: format!("b{i}"),
                parent: i as i32 - 1,
                ..Bone::default()
            })
            .collect()
    };
    let mut m = bone_only_model();
    m.header.index_sizes = sizes_all(1);
    m.bones = bones(128);
    let back = parse(&round_trip(&m)).unwrap();
    assert_eq!(back.bones[127].parent, 126);
    m.bones = bones(129);
    assert_eq!(write_pmx(&m).unwrap_err().kind, ErrorKind::Unwritable);
    m.header.index_sizes.bone = 2;
    round_trip(&m);
}

#[test]
fn smallest_index_sizes() {
    let m = full_model(spec());
    assert_eq!(IndexSizes::smallest_for(&m), sizes_all(1));
    assert_eq!(IndexSizes::smallest_for(&many_vertices(255, 4)).vertex, 1);
    assert_eq!(IndexSizes::smallest_for(&many_vertices(256, 4)).vertex, 2);
    assert_eq!(IndexSizes::smallest_for(&many_vertices(65536, 4)).vertex, 4);
    let mut m = bone_only_model();
    m.bones = vec![Bone::default(); 127];
    assert_eq!(IndexSizes::smallest_for(&m).bone, 1);
    m.bones.push(Bone::default());
    assert_eq!(IndexSizes::smallest_for(&m).bone, 2);
    m.bones = vec![Bone::default(); 32768];
    assert_eq!(IndexSizes::smallest_for(&m).bone, 4);
    m.header.index_sizes = IndexSizes::smallest_for(&m);
    round_trip(&m);
}

#[test]
fn additional_uvs_zero_to_four() {
    for additional_uv_count in 0..=4 {
        let m = full_model(Spec {
            additional_uv_count,
            ..spec()
        });
        assert_eq!(
            m.vertices.additional_uvs.len(),
            additional_uv_count as usize
        );
        round_trip(&m);
    }
}

#[test]
fn every_deform_type() {
    let m = full_model(spec());
    let kinds: Vec<u8> = m.vertices.deforms.iter().map(Deform::kind).collect();
    for k in 0..=4 {
        assert!(kinds.contains(&k), "deform {k} missing from the test model");
    }
    let back = parse(&round_trip(&m)).unwrap();
    assert!(matches!(
        back.vertices.deforms[3],
        Deform::Sdef { bones: [2, 3], weight, .. } if weight == 0.75
    ));
}

#[test]
fn every_morph_type() {
    let m = full_model(spec());
    let back = parse(&round_trip(&m)).unwrap();
    for b in 0..=10 {
        let kind = MorphKind::from_byte(b).unwrap();
        assert!(
            back.morphs.iter().any(|x| x.kind == kind),
            "{} morph missing",
            kind.as_str()
        );
    }
    let all = back
        .morphs
        .iter()
        .find_map(|x| match &x.offsets {
            MorphOffsets::Material(v) => Some(v[0].material),
            _ => None,
        })
        .unwrap();
    assert_eq!(all, -1);
    assert_eq!(
        back.morph_index("材質").map(|i| back.morphs[i].panel),
        Some(9)
    );
}

#[test]
fn every_bone_flag_combination() {
    // All 2^8 combinations of the flags that change the layout (and
    // APPEND_LOCAL), with the remaining flags varied alongside.
    let layout = [
        TAIL_IS_BONE,
        APPEND_ROTATE,
        APPEND_TRANSLATE,
        APPEND_LOCAL,
        FIXED_AXIS,
        LOCAL_AXES,
        EXTERNAL_PARENT,
        IK,
    ];
    let others = [ROTATABLE, TRANSLATABLE, VISIBLE, ENABLED, AFTER_PHYSICS];
    let n = 1usize << layout.len();
    let bones: Vec<Bone> = (0..n)
        .map(|combo| {
            let mut flags = 0u16;
            for (bit, f) in layout.iter().enumerate() {
                if combo >> bit & 1 == 1 {
                    flags |= f;
                }
            }
            for (bit, f) in others.iter().enumerate() {
                if combo.wrapping_mul(7) >> bit & 1 == 1 {
                    flags |= f;
                }
            }
            let has = |f: u16| flags & f != 0;
            let i = combo as i32;
            Bone {
                name: format!("骨{combo}"),
                name_en: format!("bone{combo}"),
                position: [combo as f32, 1.0, 2.0],
                parent: i - 1,
                layer: combo as i32 % 3,
                flags,
                tail: if has(TAIL_IS_BONE) {
                    BoneTail::Bone((i + 1) % n as i32)
                } else {
                    BoneTail::Offset([0.0, combo as f32, 0.0])
                },
                append: (has(APPEND_ROTATE) || has(APPEND_TRANSLATE)).then_some(Append {
                    parent: (i + 5) % n as i32,
                    ratio: 0.25,
                }),
                fixed_axis: has(FIXED_AXIS).then_some([1.0, 0.0, 0.0]),
                local_axes: has(LOCAL_AXES).then_some(LocalAxes {
                    x: [1.0, 0.0, 0.0],
                    z: [0.0, 0.0, 1.0],
                }),
                external_parent: has(EXTERNAL_PARENT).then_some(i),
                ik: has(IK).then(|| Ik {
                    target: (i + 1) % n as i32,
                    loop_count: combo as i32,
                    limit_angle: 0.1,
                    links: (0..combo % 4)
                        .map(|k| IkLink {
                            bone: k as i32,
                            limits: (k % 2 == 0).then_some(AngleLimits {
                                min: [-1.0, -2.0, -3.0],
                                max: [1.0, 2.0, 3.0],
                            }),
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    let mut m = bone_only_model();
    m.bones = bones;
    for version in [2.0, 2.1] {
        m.header.version = version;
        for size in [2, 4] {
            m.header.index_sizes = sizes_all(size);
            round_trip(&m);
        }
    }
}

#[test]
fn pmx_21_soft_bodies() {
    let m = full_model(Spec {
        version: 2.1,
        ..spec()
    });
    assert_eq!(m.soft_bodies.len(), 2);
    let back = parse(&round_trip(&m)).unwrap();
    assert_eq!(back.header.version, 2.1);
    assert_eq!(back.soft_bodies[0].anchors[1].vertex, 7);
    assert_eq!(back.soft_bodies[0].pins, vec![0, 7, 2]);
    assert_eq!(back.soft_bodies[0].iteration, [1, 2, 3, 4]);
    assert_eq!(back.joints.iter().map(|j| j.kind).max(), Some(5));
}

#[test]
fn bone_only_and_empty_models_load() {
    let m = bone_only_model();
    let back = parse(&round_trip(&m)).unwrap();
    assert!(back.vertices.is_empty());
    assert!(back.faces.is_empty());
    assert_eq!(back.bones.len(), 2);
    round_trip(&Model::default());
    let mut m = Model::default();
    m.header.version = 2.1;
    m.header.index_sizes = sizes_all(1);
    round_trip(&m);
}

#[test]
fn files_on_disk() {
    let dir = std::env::temp_dir().join(format!("pmx_core_rt_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("モデル.pmx");
    let m = full_model(spec());
    write_pmx_file(&m, &path).unwrap();
    assert_eq!(parse_file(&path).unwrap(), m);
    std::fs::remove_dir_all(&dir).unwrap();
    let e = parse_file(&dir.join("missing.pmx")).unwrap_err();
    assert_eq!((e.kind, e.section), (ErrorKind::Io, "file"));
    let e = write_pmx_file(&m, &dir.join("no/such/dir.pmx")).unwrap_err();
    assert_eq!((e.kind, e.section), (ErrorKind::Io, "file"));
}

#[test]
fn dispatch_on_magic() {
    // "Pmd" + version 1.0 reaches the PMD parser, which finds the name cut off.
    let e = parse(b"Pmd\0\0\x80?").unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::Truncated, "header", 7)
    );
    let e = parse(b"GIF89a").unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::BadMagic, "header", 0)
    );
    assert_eq!(parse(b"").unwrap_err().kind, ErrorKind::BadMagic);
}

// ------------------------------------------------------------ unwritable models

fn unwritable(m: &Model, section: &str) -> Error {
    let e = write_pmx(m).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unwritable, "{e}");
    assert_eq!(e.section, section, "{e}");
    e
}

#[test]
fn pmx_20_rejects_21_only_data() {
    let m21 = full_model(Spec {
        version: 2.1,
        ..spec()
    });
    let mut m = m21.clone();
    m.header.version = 2.0;
    // The first 2.1-only thing in file order is the QDEF vertex.
    assert_eq!(unwritable(&m, "vertices").item, Some(4));
    let mut m = full_model(Spec {
        version: 2.0,
        ..spec()
    });
    m.soft_bodies = m21.soft_bodies.clone();
    unwritable(&m, "soft_bodies");
    let mut m = full_model(Spec {
        version: 2.0,
        ..spec()
    });
    m.joints[0].kind = 1;
    unwritable(&m, "joints");
    for kind in [MorphKind::Flip, MorphKind::Impulse] {
        let mut m = full_model(Spec {
            version: 2.0,
            ..spec()
        });
        let morph = m21.morphs.iter().find(|x| x.kind == kind).unwrap().clone();
        m.morphs.push(morph);
        unwritable(&m, "morphs");
    }
    let mut m = m21;
    m.header.version = 2.05;
    unwritable(&m, "header");
}

#[test]
fn inconsistent_models_are_unwritable() {
    let good = full_model(spec());

    let mut m = good.clone();
    m.vertices.normals.pop();
    unwritable(&m, "vertices");
    let mut m = good.clone();
    m.vertices.additional_uvs.pop();
    unwritable(&m, "vertices");
    let mut m = good.clone();
    m.vertices.additional_uvs[1].pop();
    unwritable(&m, "vertices");
    let mut m = good.clone();
    m.header.additional_uv_count = 5;
    unwritable(&m, "header");
    let mut m = good.clone();
    m.header.index_sizes.morph = 3;
    unwritable(&m, "header");

    let mut m = good.clone();
    m.materials[0].index_count = 9;
    unwritable(&m, "materials");
    let mut m = good.clone();
    m.materials[1].index_count = 4;
    assert_eq!(unwritable(&m, "materials").item, Some(1));
    let mut m = good.clone();
    m.materials[1].toon = Toon::Shared(10);
    unwritable(&m, "materials");

    let mut m = good.clone();
    m.bones[2].fixed_axis = None;
    assert_eq!(unwritable(&m, "bones").item, Some(2));
    let mut m = good.clone();
    m.bones[0].ik = good.bones[4].ik.clone();
    unwritable(&m, "bones");
    let mut m = good.clone();
    m.bones[1].tail = BoneTail::Offset([0.0; 3]);
    unwritable(&m, "bones");
    let mut m = good.clone();
    m.bones[0].append = Some(Append {
        parent: 1,
        ratio: 1.0,
    });
    unwritable(&m, "bones");

    let mut m = good.clone();
    m.morphs[0].kind = MorphKind::Bone;
    unwritable(&m, "morphs");
    let mut m = good.clone();
    m.rigid_bodies[0].shape = 3;
    unwritable(&m, "rigid_bodies");
    let mut m = good.clone();
    m.joints[0].kind = 6;
    unwritable(&m, "joints");
    let mut m = good;
    m.soft_bodies[1].shape = 2;
    unwritable(&m, "soft_bodies");
}

#[test]
fn out_of_range_indices_are_unwritable() {
    let good = full_model(spec());
    type Edit = fn(&mut Model);
    let cases: Vec<(&str, Edit)> = vec![
        ("vertices", |m| {
            m.vertices.deforms[0] = Deform::Bdef1 { bone: 7 }
        }),
        ("vertices", |m| {
            m.vertices.deforms[0] = Deform::Bdef1 { bone: -2 }
        }),
        ("faces", |m| m.faces[1][2] = 8),
        ("materials", |m| m.materials[0].texture = 3),
        ("materials", |m| m.materials[0].sphere_texture = -2),
        ("materials", |m| m.materials[0].toon = Toon::Texture(3)),
        ("bones", |m| m.bones[3].parent = 7),
        ("bones", |m| m.bones[1].tail = BoneTail::Bone(7)),
        ("bones", |m| m.bones[2].append.as_mut().unwrap().parent = 7),
        ("bones", |m| m.bones[4].ik.as_mut().unwrap().target = -1),
        ("bones", |m| {
            m.bones[4].ik.as_mut().unwrap().links[1].bone = 7
        }),
        ("morphs", |m| {
            if let MorphOffsets::Group(v) = &mut m.morphs[1].offsets {
                v[0].morph = 100;
            }
        }),
        ("morphs", |m| {
            if let MorphOffsets::Vertex(v) = &mut m.morphs[0].offsets {
                v[0].vertex = 8;
            }
        }),
        ("morphs", |m| {
            if let MorphOffsets::Material(v) = &mut m.morphs[8].offsets {
                v[0].material = 4;
            }
        }),
        ("display_frames", |m| {
            m.display_frames[0].items[0] = DisplayItem::Bone(-1)
        }),
        ("display_frames", |m| {
            m.display_frames[1].items[0] = DisplayItem::Morph(99)
        }),
        ("rigid_bodies", |m| m.rigid_bodies[0].bone = 7),
        ("joints", |m| m.joints[0].rigid_a = 3),
        ("soft_bodies", |m| m.soft_bodies[0].material = 4),
        ("soft_bodies", |m| {
            m.soft_bodies[0].anchors[0].rigid_body = -1
        }),
        ("soft_bodies", |m| m.soft_bodies[0].anchors[0].vertex = 8),
        ("soft_bodies", |m| m.soft_bodies[0].pins[2] = 8),
    ];
    for (section, edit) in cases {
        let mut m = good.clone();
        edit(&mut m);
        assert_ne!(m, good);
        let e = unwritable(&m, section);
        assert!(e.message.contains("out of range"), "{e}");
    }
}

/// Writes the edge-case files into `$PMX_FUZZ_SEEDS_DIR` as a fuzzing corpus
/// (bench/fuzz.sh); does nothing when the variable is unset.
#[test]
fn write_fuzz_seeds() {
    // bench/fuzz.sh sets PMX_FUZZ_SEEDS_DIR to seed the fuzzer's corpus;
    // otherwise the seeds go to a temporary folder and are only checked.
    let dir = std::env::var_os("PMX_FUZZ_SEEDS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("pmx_seeds_{}", std::process::id())));
    std::fs::create_dir_all(&dir).unwrap();
    let mut seeds = Vec::new();
    for version in [2.0, 2.1] {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            for (size, additional_uv_count) in [(1, 0), (2, 4), (4, 1)] {
                seeds.push(full_model(Spec {
                    version,
                    encoding,
                    sizes: sizes_all(size),
                    additional_uv_count,
                }));
            }
        }
    }
    seeds.push(bone_only_model());
    seeds.push(Model::default());
    for (n, m) in seeds.iter().enumerate() {
        let path = dir.join(format!("seed_{n}.pmx"));
        write_pmx_file(m, &path).unwrap();
        assert_eq!(&parse_file(&path).unwrap(), m, "seed {n}");
    }
    if std::env::var_os("PMX_FUZZ_SEEDS_DIR").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
