//! Models built in code for the PMX tests: one that uses every section and
//! every variant the format has, parameterised by version, encoding, index
//! sizes and additional UV count.
#![allow(dead_code)]

use pmx_core::bone_flags::*;
use pmx_core::*;

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub version: f32,
    pub encoding: Encoding,
    pub sizes: IndexSizes,
    pub additional_uv_count: u8,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            version: 2.1,
            encoding: Encoding::Utf16,
            sizes: sizes_all(1),
            additional_uv_count: 2,
        }
    }
}

pub fn sizes_all(s: u8) -> IndexSizes {
    IndexSizes {
        vertex: s,
        texture: s,
        material: s,
        bone: s,
        morph: s,
        rigid_body: s,
    }
}

fn f(i: usize) -> f32 {
    i as f32 * 0.125 - 1.5
}
fn v3(i: usize) -> [f32; 3] {
    [f(i), f(i + 1), f(i + 2)]
}
fn v4(i: usize) -> [f32; 4] {
    [f(i), f(i + 1), f(i + 2), f(i + 3)]
}

pub const VERTEX_COUNT: usize = 8;

/// A model with every section filled and every variant the version allows.
pub fn full_model(spec: Spec) -> Model {
    let v21 = spec.version == 2.1;
    let n = VERTEX_COUNT;
    let deforms = (0..n)
        .map(|i| match i % 6 {
            0 => Deform::Bdef1 { bone: 0 },
            1 => Deform::Bdef2 {
                bones: [0, 1],
                weight: 0.25,
            },
            2 => Deform::Bdef4 {
                bones: [0, 1, 2, -1],
                weights: [0.1, 0.2, 0.3, 0.4],
            },
            3 => Deform::Sdef {
                bones: [2, 3],
                weight: 0.75,
                c: v3(i),
                r0: v3(i + 3),
                r1: v3(i + 6),
            },
            4 if v21 => Deform::Qdef {
                bones: [3, 2, 1, 0],
                weights: [0.4, 0.3, 0.2, 0.1],
            },
            _ => Deform::Bdef1 { bone: -1 },
        })
        .collect();
    let vertices = Vertices {
        positions: (0..n).map(v3).collect(),
        normals: (0..n).map(|i| v3(i + 10)).collect(),
        uvs: (0..n).map(|i| [f(i), f(i + 5)]).collect(),
        additional_uvs: (0..usize::from(spec.additional_uv_count))
            .map(|k| (0..n).map(|i| v4(i + 20 * k)).collect())
            .collect(),
        deforms,
        edge_scales: (0..n).map(|i| f(i) + 3.0).collect(),
    };
    let faces = vec![[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 0]];
    let textures = vec![
        "tex\\顔.png".to_string(),
        "toon_肌.bmp".to_string(),
        "sphere.spa".to_string(),
    ];
    let materials = vec![
        Material {
            name: "顔".into(),
            name_en: "face".into(),
            diffuse: v4(1),
            specular: v3(2),
            specularity: 7.5,
            ambient: v3(3),
            flags: 0xFF,
            edge_color: v4(4),
            edge_size: 0.5,
            texture: 0,
            sphere_texture: 2,
            sphere_mode: SphereMode::Multiply,
            toon: Toon::Texture(1),
            memo: "メモ\r\n二行目".into(),
            index_count: 6,
        },
        Material {
            name: "髪".into(),
            texture: -1,
            sphere_texture: -1,
            sphere_mode: SphereMode::SubTexture,
            toon: Toon::Shared(9),
            index_count: 3,
            ..Material::default()
        },
        Material {
            name: "空".into(),
            sphere_mode: SphereMode::Add,
            toon: Toon::Shared(0),
            index_count: 0,
            ..Material::default()
        },
        Material {
            name: "服".into(),
            toon: Toon::Texture(-1),
            index_count: 3,
            ..Material::default()
        },
    ];
    let base = ROTATABLE | VISIBLE | ENABLED;
    let bones = vec![
        Bone {
            name: "全ての親".into(),
            name_en: "master".into(),
            position: v3(0),
            ..Bone::default()
        },
        Bone {
            name: "センター".into(),
            parent: 0,
            flags: base | TRANSLATABLE | TAIL_IS_BONE,
            tail: BoneTail::Bone(2),
            ..Bone::default()
        },
        Bone {
            name: "首".into(),
            parent: 1,
            layer: 2,
            flags: base
                | TAIL_IS_BONE
                | APPEND_ROTATE
                | APPEND_TRANSLATE
                | APPEND_LOCAL
                | FIXED_AXIS
                | LOCAL_AXES,
            tail: BoneTail::Bone(-1),
            append: Some(Append {
                parent: 1,
                ratio: -0.5,
            }),
            fixed_axis: Some([0.0, 1.0, 0.0]),
            local_axes: Some(LocalAxes {
                x: [1.0, 0.0, 0.0],
                z: [0.0, 0.0, 1.0],
            }),
            ..Bone::default()
        },
        Bone {
            name: "頭".into(),
            parent: 2,
            flags: base | EXTERNAL_PARENT | AFTER_PHYSICS,
            tail: BoneTail::Offset([0.0, 1.5, 0.0]),
            external_parent: Some(7),
            ..Bone::default()
        },
        Bone {
            name: "左足ＩＫ".into(),
            parent: 0,
            layer: 1,
            flags: base | TRANSLATABLE | IK,
            ik: Some(Ik {
                target: 3,
                loop_count: 40,
                limit_angle: 0.5,
                links: vec![
                    IkLink {
                        bone: 2,
                        limits: Some(AngleLimits {
                            min: [-3.0, 0.0, 0.0],
                            max: [-0.01, 0.0, 0.0],
                        }),
                    },
                    IkLink {
                        bone: 1,
                        limits: None,
                    },
                ],
            }),
            ..Bone::default()
        },
        Bone {
            // Parent after itself: a forward reference.
            name: "右目".into(),
            parent: 6,
            flags: base | APPEND_ROTATE,
            append: Some(Append {
                parent: 6,
                ratio: 1.0,
            }),
            ..Bone::default()
        },
        Bone {
            name: "両目".into(),
            parent: 3,
            flags: 0xC040 | APPEND_TRANSLATE, // unknown bits are kept as stored
            append: Some(Append {
                parent: -1,
                ratio: 0.0,
            }),
            ..Bone::default()
        },
    ];
    let mut morphs = vec![
        Morph {
            name: "まばたき".into(),
            name_en: "blink".into(),
            panel: 2,
            kind: MorphKind::Vertex,
            offsets: MorphOffsets::Vertex(vec![
                VertexOffset {
                    vertex: 0,
                    offset: v3(3),
                },
                VertexOffset {
                    vertex: 7,
                    offset: v3(4),
                },
            ]),
        },
        Morph {
            name: "あ".into(),
            name_en: String::new(),
            panel: 3,
            kind: MorphKind::Group,
            // Refers forward to morph 2.
            offsets: MorphOffsets::Group(vec![
                GroupOffset {
                    morph: 0,
                    weight: 0.5,
                },
                GroupOffset {
                    morph: 2,
                    weight: 1.0,
                },
            ]),
        },
        Morph {
            name: "ボーン".into(),
            name_en: "bone".into(),
            panel: 4,
            kind: MorphKind::Bone,
            offsets: MorphOffsets::Bone(vec![BoneOffset {
                bone: 3,
                translation: v3(1),
                rotation: [0.0, 0.0, 0.70710677, 0.70710677],
            }]),
        },
    ];
    for (k, kind) in [
        MorphKind::Uv,
        MorphKind::Uv1,
        MorphKind::Uv2,
        MorphKind::Uv3,
        MorphKind::Uv4,
    ]
    .into_iter()
    .enumerate()
    {
        morphs.push(Morph {
            name: format!("UV{k}"),
            name_en: String::new(),
            panel: 0,
            kind,
            offsets: MorphOffsets::Uv(vec![UvOffset {
                vertex: k as u32,
                offset: v4(k),
            }]),
        });
    }
    let mat_offset = |material, op| MaterialOffset {
        material,
        op,
        diffuse: v4(0),
        specular: v3(1),
        specularity: 2.0,
        ambient: v3(2),
        edge_color: v4(3),
        edge_size: 0.25,
        texture_tint: v4(4),
        sphere_tint: v4(5),
        toon_tint: v4(6),
    };
    morphs.push(Morph {
        name: "材質".into(),
        name_en: "material".into(),
        panel: 9, // out of the usual 0..=4, kept as stored
        kind: MorphKind::Material,
        offsets: MorphOffsets::Material(vec![
            mat_offset(-1, MaterialOp::Multiply),
            mat_offset(1, MaterialOp::Add),
        ]),
    });
    morphs.push(Morph {
        name: "空".into(),
        name_en: String::new(),
        panel: 4,
        kind: MorphKind::Vertex,
        offsets: MorphOffsets::Vertex(vec![]),
    });
    if v21 {
        morphs.push(Morph {
            name: "フリップ".into(),
            name_en: "flip".into(),
            panel: 4,
            kind: MorphKind::Flip,
            offsets: MorphOffsets::Flip(vec![GroupOffset {
                morph: 1,
                weight: 1.0,
            }]),
        });
        morphs.push(Morph {
            name: "インパルス".into(),
            name_en: "impulse".into(),
            panel: 4,
            kind: MorphKind::Impulse,
            offsets: MorphOffsets::Impulse(vec![
                ImpulseOffset {
                    rigid_body: 1,
                    local: true,
                    velocity: v3(1),
                    torque: v3(2),
                },
                ImpulseOffset {
                    rigid_body: 0,
                    local: false,
                    velocity: v3(3),
                    torque: v3(4),
                },
            ]),
        });
    }
    let display_frames = vec![
        DisplayFrame {
            name: "Root".into(),
            name_en: "Root".into(),
            special: true,
            items: vec![DisplayItem::Bone(0)],
        },
        DisplayFrame {
            name: "表情".into(),
            name_en: "Exp".into(),
            special: true,
            items: vec![DisplayItem::Morph(0), DisplayItem::Morph(1)],
        },
        DisplayFrame {
            name: "体".into(),
            name_en: String::new(),
            special: false,
            items: vec![
                DisplayItem::Bone(1),
                DisplayItem::Bone(6),
                DisplayItem::Morph(3),
            ],
        },
        DisplayFrame::default(),
    ];
    let rigid_bodies = vec![
        RigidBody {
            name: "頭".into(),
            name_en: "head".into(),
            bone: 3,
            group: 3,
            collision_mask: 0xFFF0,
            shape: 0,
            size: v3(1),
            position: v3(2),
            rotation: v3(3),
            mass: 1.0,
            linear_damping: 0.5,
            angular_damping: 0.5,
            restitution: 0.0,
            friction: 0.5,
            physics_mode: 0,
        },
        RigidBody {
            name: "髪".into(),
            bone: -1,
            shape: 2,
            physics_mode: 2,
            ..RigidBody::default()
        },
        RigidBody {
            name: "箱".into(),
            bone: 6,
            shape: 1,
            physics_mode: 1,
            ..RigidBody::default()
        },
    ];
    let kinds: &[u8] = if v21 { &[0, 1, 2, 3, 4, 5] } else { &[0] };
    let joints = kinds
        .iter()
        .map(|&kind| Joint {
            name: format!("ジョイント{kind}"),
            name_en: format!("joint{kind}"),
            kind,
            rigid_a: 0,
            rigid_b: if kind == 5 { -1 } else { 1 },
            position: v3(1),
            rotation: v3(2),
            position_min: v3(3),
            position_max: v3(4),
            rotation_min: v3(5),
            rotation_max: v3(6),
            spring_position: v3(7),
            spring_rotation: v3(8),
        })
        .collect();
    let soft_bodies = if v21 {
        vec![
            SoftBody {
                name: "スカート".into(),
                name_en: "skirt".into(),
                shape: 0,
                material: 0,
                group: 2,
                collision_mask: 0x00FF,
                flags: 0x07,
                b_link_distance: 2,
                cluster_count: 4,
                total_mass: 1.5,
                margin: 0.05,
                aero_model: 1,
                config: std::array::from_fn(f),
                cluster: std::array::from_fn(|i| f(i + 12)),
                iteration: [1, 2, 3, 4],
                material_params: [0.25, 0.5, 0.75],
                anchors: vec![
                    SoftBodyAnchor {
                        rigid_body: 0,
                        vertex: 3,
                        near_mode: 1,
                    },
                    SoftBodyAnchor {
                        rigid_body: 2,
                        vertex: 7,
                        near_mode: 0,
                    },
                ],
                pins: vec![0, 7, 2],
            },
            SoftBody {
                name: "紐".into(),
                shape: 1,
                material: -1,
                ..SoftBody::default()
            },
        ]
    } else {
        vec![]
    };
    Model {
        header: Header {
            format: SourceFormat::Pmx,
            version: spec.version,
            encoding: spec.encoding,
            additional_uv_count: spec.additional_uv_count,
            index_sizes: spec.sizes,
        },
        name: "テストモデル".into(),
        name_en: "Test model".into(),
        comment: "コメント\n2行目 ♪".into(),
        comment_en: "comment".into(),
        vertices,
        faces,
        textures,
        materials,
        bones,
        morphs,
        display_frames,
        rigid_bodies,
        joints,
        soft_bodies,
    }
}

/// A model with only bones: no vertices, faces, materials or textures.
pub fn bone_only_model() -> Model {
    Model {
        name: "骨".into(),
        bones: vec![
            Bone {
                name: "首".into(),
                ..Bone::default()
            },
            Bone {
                name: "頭".into(),
                parent: 0,
                ..Bone::default()
            },
        ],
        ..Model::default()
    }
}

/// Write, parse back, and check the model survived unchanged.
pub fn round_trip(model: &Model) -> Vec<u8> {
    let bytes = pmx_core::write::write_pmx(model).expect("model should be writable");
    let back = pmx_core::parse::parse(&bytes).expect("written file should parse");
    assert_eq!(&back, model);
    // and the second generation is byte-identical
    let again = pmx_core::write::write_pmx(&back).expect("re-write");
    assert_eq!(again, bytes);
    bytes
}

/// Byte length of a PMX text field's payload.
pub fn text_len(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        _ => s.encode_utf16().count() * 2,
    }
}

/// Offset of the first byte where the files of `a` and `b` differ: locates
/// a field in a written file by writing it with two different values.
pub fn locate(a: &Model, b: &Model) -> usize {
    let x = pmx_core::write::write_pmx(a).expect("write a");
    let y = pmx_core::write::write_pmx(b).expect("write b");
    x.iter()
        .zip(&y)
        .position(|(p, q)| p != q)
        .expect("the two models should write differently")
}
