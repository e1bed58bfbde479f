//! PMD 1.0 parsing: small files written in code, checked value by value.

#[path = "support/pmd_builder.rs"]
mod pmd_builder;

use pmd_builder::*;
use pmx_core::parse::pmd::parse_pmd;
use pmx_core::{
    bone_flags, material_flags, BoneTail, Deform, DisplayItem, ErrorKind, MorphKind, MorphOffsets,
    SourceFormat, SphereMode, Toon,
};

const HEADER_LEN: usize = 3 + 4 + 20 + 256;
const VERTEX_LEN: usize = 38;

fn s(x: &str) -> String {
    x.to_owned()
}

fn vertex(position: [f32; 3], bones: [u16; 2], weight: u8, edge_off: u8) -> PmdVertex {
    PmdVertex {
        position,
        normal: [0.0, 0.0, -1.0],
        uv: [0.25, 0.75],
        bones,
        weight,
        edge_off,
    }
}

fn material(alpha: f32, toon: u8, edge: u8, index_count: u32, texture: &str) -> PmdMaterial {
    PmdMaterial {
        diffuse: [1.0, 0.5, 0.25, alpha],
        specularity: 5.0,
        specular: [0.1, 0.2, 0.3],
        ambient: [0.4, 0.5, 0.6],
        toon,
        edge,
        index_count,
        texture: s(texture),
    }
}

fn bone(name: &str, parent: u16, tail: u16, kind: u8, ik_parent: u16, p: [f32; 3]) -> PmdBone {
    PmdBone {
        name: s(name),
        parent,
        tail,
        kind,
        ik_parent,
        position: p,
    }
}

const NONE: u16 = 0xFFFF;

/// A small but complete model: every section and extension present.
fn sample() -> PmdFile {
    PmdFile {
        name: s("テストモデル"),
        comment: s("コメント\n二行目"),
        vertices: vec![
            vertex([0.0, 10.0, 0.0], [1, 2], 30, 0),
            vertex([1.0, 10.0, 0.0], [2, 2], 100, 1),
            vertex([1.0, 11.0, 0.0], [0, 1], 0, 0),
            vertex([0.0, 11.0, 0.0], [5, 6], 50, 0),
        ],
        indices: vec![0, 1, 2, 0, 2, 3],
        materials: vec![
            material(1.0, 0, 1, 3, "a.bmp*b.spa"),
            material(0.5, 3, 0, 3, "a.bmp"),
            material(0.98, 0xFF, 0, 0, "env.sph"),
        ],
        bones: vec![
            bone("センター", NONE, 1, 1, 0, [0.0, 8.0, 0.0]),
            bone("左足", 0, 2, 0, 0, [1.0, 8.0, 0.0]),
            bone("左ひざ", 1, 3, 4, 4, [1.0, 4.0, 0.0]),
            bone("左足首", 2, 0, 4, 4, [1.0, 0.5, 0.0]),
            bone("左足ＩＫ", 0, 10, 2, 0, [1.0, 0.5, 0.0]),
            bone("両目", 0, 0, 0, 0, [0.0, 15.0, 0.0]),
            bone("左目", 0, NONE, 5, 5, [0.3, 15.0, 0.0]),
            bone("左腕捩", 0, 8, 8, 0, [2.0, 12.0, 0.0]),
            bone("左手首", 7, 0, 0, 0, [5.0, 12.0, 0.0]),
            bone("左腕捩1", 7, 25, 9, 7, [3.0, 12.0, 0.0]),
            bone("左つま先", 3, 0, 6, 0, [1.0, 0.0, -1.0]),
            bone("隠し", 0, 0, 7, 0, [0.0, 0.0, 0.0]),
        ],
        iks: vec![PmdIk {
            bone: 4,
            effector: 3,
            iterations: 40,
            control_weight: 0.5,
            links: vec![2, 1],
        }],
        skins: vec![
            PmdSkin {
                name: s("base"),
                kind: 0,
                entries: vec![(1, [1.0, 10.0, 0.0]), (3, [0.0, 11.0, 0.0])],
            },
            PmdSkin {
                name: s("まばたき"),
                kind: 2,
                entries: vec![(0, [0.0, -0.1, 0.0]), (1, [0.2, 0.0, 0.0])],
            },
            PmdSkin {
                name: s("あ"),
                kind: 3,
                entries: vec![(1, [0.0, 0.0, 1.0])],
            },
        ],
        morph_display: vec![2, 1],
        frame_names: vec![s("ＩＫ\n"), s("体\n")],
        bone_display: vec![(4, 1), (1, 2), (2, 2)],
        english: Some(PmdEnglish {
            name: s("Test model"),
            comment: s("English comment"),
            bones: [
                "center",
                "leg_L",
                "knee_L",
                "ankle_L",
                "leg IK_L",
                "eyes",
                "eye_L",
                "arm twist_L",
                "wrist_L",
                "arm twist1_L",
                "toe_L",
                "hidden",
            ]
            .iter()
            .map(|x| s(x))
            .collect(),
            skins: vec![s("blink"), s("a")],
            frames: vec![s("IK\n"), s("Body\n")],
        }),
        toons: Some({
            let mut t: Vec<String> = (1..=10).map(|i| format!("toon{i:02}.bmp")).collect();
            t[3] = s("custom_toon.bmp");
            t
        }),
        rigid_bodies: Some(vec![
            PmdRigidBody {
                name: s("左足剛体"),
                bone: 1,
                group: 3,
                mask: 0xFFFE,
                shape: 2,
                size: [0.5, 2.0, 0.0],
                position: [0.0, 1.0, 0.0],
                rotation: [0.1, 0.2, 0.3],
                params: [1.0, 0.5, 0.5, 0.0, 0.5],
                mode: 0,
            },
            PmdRigidBody {
                name: s("浮遊"),
                bone: NONE,
                group: 0,
                mask: 0,
                shape: 0,
                size: [1.0, 0.0, 0.0],
                position: [0.0, 0.0, 1.0],
                rotation: [0.0; 3],
                params: [2.0, 0.1, 0.2, 0.3, 0.4],
                mode: 1,
            },
        ]),
        joints: Some(vec![PmdJoint {
            name: s("関節"),
            bodies: [0, 1],
            vectors: [
                [1.0, 2.0, 3.0],
                [0.1, 0.2, 0.3],
                [-1.0, -1.0, -1.0],
                [1.0, 1.0, 1.0],
                [-0.5, -0.5, -0.5],
                [0.5, 0.5, 0.5],
                [10.0, 0.0, 0.0],
                [0.0, 20.0, 0.0],
            ],
        }]),
        ..PmdFile::default()
    }
}

/// Just the mandatory sections of a tiny model.
fn minimal() -> PmdFile {
    PmdFile {
        name: s("min"),
        vertices: vec![
            vertex([0.0; 3], [0, 0], 100, 0),
            vertex([1.0, 0.0, 0.0], [0, 0], 100, 0),
            vertex([0.0, 1.0, 0.0], [0, 0], 100, 0),
        ],
        indices: vec![0, 1, 2],
        materials: vec![material(1.0, 0, 1, 3, "")],
        bones: vec![bone("センター", NONE, 0, 1, 0, [0.0; 3])],
        ..PmdFile::default()
    }
}

fn approx(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn header_and_counts() {
    let m = parse_pmd(&sample().build()).unwrap();
    assert_eq!(m.header.format, SourceFormat::Pmd);
    assert_eq!(m.header.version, 1.0);
    assert_eq!(m.header.encoding.as_str(), "shift-jis");
    assert_eq!(m.header.additional_uv_count, 0);
    assert_eq!(m.name, "テストモデル");
    assert_eq!(m.comment, "コメント\n二行目");
    assert_eq!(m.vertices.len(), 4);
    assert_eq!(m.vertices.normals.len(), 4);
    assert_eq!(m.vertices.uvs.len(), 4);
    assert_eq!(m.vertices.deforms.len(), 4);
    assert_eq!(m.vertices.edge_scales.len(), 4);
    assert!(m.vertices.additional_uvs.is_empty());
    assert_eq!(m.faces, vec![[0, 1, 2], [0, 2, 3]]);
    assert_eq!(m.materials.len(), 3);
    assert_eq!(m.bones.len(), 12);
    assert_eq!(m.morphs.len(), 2);
    assert_eq!(m.rigid_bodies.len(), 2);
    assert_eq!(m.joints.len(), 1);
    assert!(m.soft_bodies.is_empty());
    let sizes = m.header.index_sizes;
    assert_eq!(
        [
            sizes.vertex,
            sizes.texture,
            sizes.material,
            sizes.bone,
            sizes.morph,
            sizes.rigid_body
        ],
        [2; 6]
    );
}

#[test]
fn vertices_are_bdef2_with_percent_weights() {
    let m = parse_pmd(&sample().build()).unwrap();
    let v = &m.vertices;
    assert_eq!(v.positions[1], [1.0, 10.0, 0.0]);
    assert_eq!(v.normals[0], [0.0, 0.0, -1.0]);
    assert_eq!(v.uvs[3], [0.25, 0.75]);
    let weights: Vec<Deform> = v.deforms.clone();
    assert_eq!(
        weights,
        vec![
            Deform::Bdef2 {
                bones: [1, 2],
                weight: 0.3
            },
            Deform::Bdef2 {
                bones: [2, 2],
                weight: 1.0
            },
            Deform::Bdef2 {
                bones: [0, 1],
                weight: 0.0
            },
            Deform::Bdef2 {
                bones: [5, 6],
                weight: 0.5
            },
        ]
    );
    assert!(v.deforms.iter().all(|d| d.kind() == 1));
    assert_eq!(v.edge_scales, vec![1.0, 0.0, 1.0, 1.0]);
}

#[test]
fn materials_flags_textures_and_spheres() {
    let m = parse_pmd(&sample().build()).unwrap();
    // a.bmp and b.spa from material 0, a.bmp reused by 1, env.sph from 2, then the custom toon.
    assert_eq!(
        m.textures,
        vec![s("a.bmp"), s("b.spa"), s("env.sph"), s("custom_toon.bmp")]
    );
    let [m0, m1, m2] = [&m.materials[0], &m.materials[1], &m.materials[2]];
    assert_eq!(m0.diffuse, [1.0, 0.5, 0.25, 1.0]);
    assert_eq!(m0.specularity, 5.0);
    assert_eq!(m0.specular, [0.1, 0.2, 0.3]);
    assert_eq!(m0.ambient, [0.4, 0.5, 0.6]);
    assert_eq!(m0.index_count, 3);
    assert_eq!(m0.edge_color, [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(m0.edge_size, 1.0);
    assert_eq!(m0.name, "");
    assert_eq!((m0.texture, m0.sphere_texture), (0, 1));
    assert_eq!(m0.sphere_mode, SphereMode::Add);
    assert_eq!((m1.texture, m1.sphere_texture), (0, -1));
    assert_eq!(m1.sphere_mode, SphereMode::Off);
    assert_eq!((m2.texture, m2.sphere_texture), (-1, 2));
    assert_eq!(m2.sphere_mode, SphereMode::Multiply);
    assert_eq!(m2.index_count, 0);

    use material_flags::*;
    assert_eq!(
        m0.flags,
        EDGE | GROUND_SHADOW | CAST_SHADOW | RECEIVE_SHADOW
    );
    // Translucent: double sided; no edge flag.
    assert_eq!(m1.flags, DOUBLE_SIDED | CAST_SHADOW | RECEIVE_SHADOW);
    // Alpha 0.98: MMD's "no self shadow", still translucent.
    assert_eq!(m2.flags, DOUBLE_SIDED);
}

#[test]
fn toon_default_custom_and_none() {
    let m = parse_pmd(&sample().build()).unwrap();
    assert_eq!(m.materials[0].toon, Toon::Shared(0));
    assert_eq!(m.materials[1].toon, Toon::Texture(3));
    assert_eq!(m.textures[3], "custom_toon.bmp");
    assert_eq!(m.materials[2].toon, Toon::Texture(-1));

    // Without the toon table, slot i is MMD's shared toon{i+1}.
    let mut f = sample();
    f.toons = None;
    f.rigid_bodies = None;
    f.joints = None;
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.materials[0].toon, Toon::Shared(0));
    assert_eq!(m.materials[1].toon, Toon::Shared(3));
    assert_eq!(m.materials[2].toon, Toon::Texture(-1));
    assert_eq!(m.textures.len(), 3);

    // A table naming another shared ramp, in any ASCII case, and an empty slot.
    let mut f = sample();
    let toons = f.toons.as_mut().unwrap();
    toons[0] = s("TOON07.BMP");
    toons[3] = s("");
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.materials[0].toon, Toon::Shared(6));
    assert_eq!(m.materials[1].toon, Toon::Texture(-1));
}

#[test]
fn custom_toon_reuses_a_texture_path() {
    let mut f = sample();
    f.toons.as_mut().unwrap()[3] = s("a.bmp");
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.materials[1].toon, Toon::Texture(0));
    assert_eq!(m.textures.len(), 3);
}

#[test]
fn sphere_only_with_star_and_case() {
    let mut f = minimal();
    f.materials[0].texture = s("*Shine.SPA");
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.textures, vec![s("Shine.SPA")]);
    assert_eq!(m.materials[0].texture, -1);
    assert_eq!(m.materials[0].sphere_texture, 0);
    assert_eq!(m.materials[0].sphere_mode, SphereMode::Add);
}

#[test]
fn shift_jis_names_full_width_and_after_nul() {
    let mut f = minimal();
    // Ten full-width characters fill the 20-byte field with no NUL.
    f.bones[0].name = s("あいうえおかきくけこ");
    let mut bytes = f.build();
    // Garbage after the NUL of the model name is ignored.
    let name_at = 3 + 4;
    assert_eq!(&bytes[name_at..name_at + 4], b"min\0");
    bytes[name_at + 4] = b'X';
    let m = parse_pmd(&bytes).unwrap();
    assert_eq!(m.name, "min");
    assert_eq!(m.bones[0].name, "あいうえおかきくけこ");
}

#[test]
fn bone_types_become_pmx_flags() {
    let m = parse_pmd(&sample().build()).unwrap();
    use bone_flags::*;
    let b = &m.bones;
    let base = ROTATABLE | ENABLED | VISIBLE;

    assert_eq!(b[0].parent, -1);
    assert_eq!(b[0].flags, base | TRANSLATABLE | TAIL_IS_BONE);
    assert_eq!(b[0].tail, BoneTail::Bone(1));
    assert_eq!(b[0].position, [0.0, 8.0, 0.0]);
    assert_eq!(b[0].layer, 0);

    assert_eq!(b[1].parent, 0);
    assert_eq!(b[1].flags, base | TAIL_IS_BONE);
    // Tail 0 is "none".
    assert_eq!(b[3].tail, BoneTail::Offset([0.0; 3]));
    assert!(!b[3].has(TAIL_IS_BONE));

    // IK bone: translatable, IK.
    assert_eq!(b[4].flags, base | TRANSLATABLE | TAIL_IS_BONE | IK);

    // 回転影響下: append rotation from the IK-parent field, ratio 1; tail 0xFFFF none.
    assert_eq!(b[6].flags, base | APPEND_ROTATE);
    let a = b[6].append.unwrap();
    assert_eq!((a.parent, a.ratio), (5, 1.0));
    assert_eq!(b[6].tail, BoneTail::Offset([0.0; 3]));

    // Twist: fixed axis toward the tail bone, normalised.
    assert_eq!(b[7].flags, base | TAIL_IS_BONE | FIXED_AXIS);
    assert_eq!(b[7].fixed_axis, Some([1.0, 0.0, 0.0]));

    // 回転連動: ratio from the tail field / 100, source from the IK-parent field.
    assert_eq!(b[9].flags, base | APPEND_ROTATE);
    let a = b[9].append.unwrap();
    assert_eq!(a.parent, 7);
    assert!(approx(a.ratio, 0.25));
    assert_eq!(b[9].tail, BoneTail::Offset([0.0; 3]));

    // IK target and invisible bones are hidden.
    assert_eq!(b[10].flags, ROTATABLE | ENABLED);
    assert_eq!(b[11].flags, ROTATABLE | ENABLED);

    // Option fields present exactly when their flag is set.
    for bone in b {
        assert_eq!(
            bone.append.is_some(),
            bone.has(APPEND_ROTATE),
            "{}",
            bone.name
        );
        assert_eq!(
            bone.fixed_axis.is_some(),
            bone.has(FIXED_AXIS),
            "{}",
            bone.name
        );
        assert_eq!(bone.ik.is_some(), bone.has(IK), "{}", bone.name);
        assert!(bone.local_axes.is_none() && bone.external_parent.is_none());
    }
}

#[test]
fn twist_without_usable_tail_has_no_axis() {
    let mut f = sample();
    f.bones[7].tail = 0;
    let m = parse_pmd(&f.build()).unwrap();
    assert!(!m.bones[7].has(bone_flags::FIXED_AXIS));
    assert_eq!(m.bones[7].fixed_axis, None);
}

#[test]
fn ik_chain_and_knee_limits() {
    let m = parse_pmd(&sample().build()).unwrap();
    let ik = m.bones[4].ik.as_ref().unwrap();
    assert_eq!(ik.target, 3);
    assert_eq!(ik.loop_count, 40);
    assert!(approx(ik.limit_angle, 2.0));
    assert_eq!(ik.links.len(), 2);
    assert_eq!(ik.links[0].bone, 2);
    let knee = ik.links[0].limits.unwrap();
    assert!(approx(knee.min[0], -std::f32::consts::PI));
    assert!(approx(knee.max[0], -0.5f32.to_radians()));
    assert_eq!(
        [knee.min[1], knee.min[2], knee.max[1], knee.max[2]],
        [0.0; 4]
    );
    assert_eq!(ik.links[1].bone, 1);
    assert_eq!(ik.links[1].limits, None);
    assert_eq!(m.bones.iter().filter(|b| b.ik.is_some()).count(), 1);
}

#[test]
fn duplicate_ik_entry_keeps_the_first() {
    let mut f = sample();
    let mut second = f.iks[0].clone();
    second.iterations = 7;
    f.iks.push(second);
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.bones[4].ik.as_ref().unwrap().loop_count, 40);
}

#[test]
fn morphs_resolve_base_relative_indices() {
    let m = parse_pmd(&sample().build()).unwrap();
    // The base is not a morph.
    assert!(m.morph_index("base").is_none());
    let blink = &m.morphs[0];
    assert_eq!(blink.name, "まばたき");
    assert_eq!(blink.panel, 2);
    assert_eq!(blink.kind, MorphKind::Vertex);
    match &blink.offsets {
        MorphOffsets::Vertex(o) => {
            assert_eq!(o.len(), 2);
            // base entry 0 is vertex 1, entry 1 is vertex 3.
            assert_eq!((o[0].vertex, o[0].offset), (1, [0.0, -0.1, 0.0]));
            assert_eq!((o[1].vertex, o[1].offset), (3, [0.2, 0.0, 0.0]));
        }
        other => panic!("not a vertex morph: {other:?}"),
    }
    let a = &m.morphs[1];
    assert_eq!((a.name.as_str(), a.panel), ("あ", 3));
    match &a.offsets {
        MorphOffsets::Vertex(o) => assert_eq!((o[0].vertex, o[0].offset), (3, [0.0, 0.0, 1.0])),
        other => panic!("not a vertex morph: {other:?}"),
    }
}

#[test]
fn display_frames() {
    let m = parse_pmd(&sample().build()).unwrap();
    let f = &m.display_frames;
    assert_eq!(f.len(), 4);
    assert_eq!((f[0].name.as_str(), f[0].special), ("Root", true));
    assert_eq!(f[0].items, vec![DisplayItem::Bone(0)]);
    assert_eq!((f[1].name.as_str(), f[1].special), ("表情", true));
    // Skin 2 (あ) is morph 1, skin 1 (まばたき) morph 0.
    assert_eq!(
        f[1].items,
        vec![DisplayItem::Morph(1), DisplayItem::Morph(0)]
    );
    assert_eq!((f[2].name.as_str(), f[2].special), ("ＩＫ", false));
    assert_eq!(f[2].items, vec![DisplayItem::Bone(4)]);
    assert_eq!(f[3].name, "体");
    assert_eq!(f[3].items, vec![DisplayItem::Bone(1), DisplayItem::Bone(2)]);
}

#[test]
fn english_names() {
    let m = parse_pmd(&sample().build()).unwrap();
    assert_eq!(m.name_en, "Test model");
    assert_eq!(m.comment_en, "English comment");
    assert_eq!(m.bones[0].name_en, "center");
    assert_eq!(m.bones[11].name_en, "hidden");
    assert_eq!(m.morphs[0].name_en, "blink");
    assert_eq!(m.morphs[1].name_en, "a");
    assert_eq!(m.display_frames[2].name_en, "IK");
    assert_eq!(m.display_frames[3].name_en, "Body");

    let mut f = sample();
    f.english = None;
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.name_en, "");
    assert!(m.bones.iter().all(|b| b.name_en.is_empty()));
    assert_eq!(m.textures.len(), 4);
    assert_eq!(m.rigid_bodies.len(), 2);
}

#[test]
fn physics_made_absolute() {
    let m = parse_pmd(&sample().build()).unwrap();
    let r0 = &m.rigid_bodies[0];
    assert_eq!(r0.name, "左足剛体");
    assert_eq!(r0.bone, 1);
    assert_eq!((r0.group, r0.collision_mask, r0.shape), (3, 0xFFFE, 2));
    assert_eq!(r0.size, [0.5, 2.0, 0.0]);
    // Relative (0, 1, 0) to 左足 at (1, 8, 0).
    assert_eq!(r0.position, [1.0, 9.0, 0.0]);
    assert_eq!(r0.rotation, [0.1, 0.2, 0.3]);
    assert_eq!(
        [
            r0.mass,
            r0.linear_damping,
            r0.angular_damping,
            r0.restitution,
            r0.friction
        ],
        [1.0, 0.5, 0.5, 0.0, 0.5]
    );
    assert_eq!(r0.physics_mode, 0);
    // No bone: relative to センター at (0, 8, 0).
    let r1 = &m.rigid_bodies[1];
    assert_eq!(r1.bone, -1);
    assert_eq!(r1.position, [0.0, 8.0, 1.0]);
    assert_eq!(r1.physics_mode, 1);

    let j = &m.joints[0];
    assert_eq!(j.name, "関節");
    assert_eq!((j.kind, j.rigid_a, j.rigid_b), (0, 0, 1));
    assert_eq!(j.position, [1.0, 2.0, 3.0]);
    assert_eq!(j.rotation, [0.1, 0.2, 0.3]);
    assert_eq!(j.position_min, [-1.0; 3]);
    assert_eq!(j.position_max, [1.0; 3]);
    assert_eq!(j.rotation_min, [-0.5; 3]);
    assert_eq!(j.rotation_max, [0.5; 3]);
    assert_eq!(j.spring_position, [10.0, 0.0, 0.0]);
    assert_eq!(j.spring_rotation, [0.0, 20.0, 0.0]);
}

#[test]
fn optional_sections_absent() {
    let mut f = sample();
    f.english = None;
    f.toons = None;
    f.rigid_bodies = None;
    f.joints = None;
    let m = parse_pmd(&f.build()).unwrap();
    assert!(m.rigid_bodies.is_empty() && m.joints.is_empty());
    assert_eq!(m.morphs.len(), 2);

    // Rigid bodies without joints.
    let mut f = sample();
    f.joints = None;
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.rigid_bodies.len(), 2);
    assert!(m.joints.is_empty());
}

#[test]
fn minimal_and_empty_models() {
    let m = parse_pmd(&minimal().build()).unwrap();
    assert_eq!(m.vertices.len(), 3);
    assert!(m.morphs.is_empty());
    assert_eq!(m.display_frames.len(), 2);

    // Nothing at all but the header and empty tables.
    let m = parse_pmd(&PmdFile::default().build()).unwrap();
    assert!(m.vertices.is_empty() && m.bones.is_empty());
    assert!(m.display_frames[0].items.is_empty());
}

#[test]
fn truncated_at_every_byte_is_a_typed_error() {
    let (bytes, ends) = sample().build_with_ends();
    assert_eq!(ends.len(), 5);
    assert_eq!(*ends.last().unwrap(), bytes.len());
    for cut in 0..bytes.len() {
        let result = parse_pmd(&bytes[..cut]);
        if ends.contains(&cut) {
            assert!(result.is_ok(), "cut at {cut}: {result:?}");
            continue;
        }
        let e = result.expect_err(&format!("cut at {cut} parsed"));
        if cut < 3 {
            assert_eq!(e.kind, ErrorKind::BadMagic, "cut at {cut}");
        } else {
            assert_eq!(e.kind, ErrorKind::Truncated, "cut at {cut}: {e}");
            assert!(e.offset <= cut, "cut at {cut}: {e}");
        }
    }
}

#[test]
fn trailing_bytes_after_joints_are_ignored() {
    let mut bytes = sample().build();
    bytes.extend_from_slice(&[1, 2, 3]);
    assert!(parse_pmd(&bytes).is_ok());
}

#[test]
fn bad_magic_and_version() {
    let mut f = minimal();
    f.magic = *b"PMX";
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::BadMagic, "header", 0)
    );

    let e = parse_pmd(b"").unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadMagic);

    let mut f = minimal();
    f.version = 2.0;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::UnsupportedVersion, "header", 3)
    );
}

#[test]
fn huge_counts_fail_before_allocating() {
    let mut bytes = minimal().build();
    bytes[HEADER_LEN..HEADER_LEN + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = parse_pmd(&bytes).unwrap_err();
    assert_eq!((e.kind, e.section), (ErrorKind::Truncated, "vertices"));
}

#[test]
fn face_errors() {
    let mut f = minimal();
    f.indices = vec![0, 1, 3];
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.item),
        (ErrorKind::IndexOutOfRange, "faces", Some(0))
    );
    let faces_at = HEADER_LEN + 4 + 3 * VERTEX_LEN;
    assert_eq!(e.offset, faces_at + 4 + 4);

    let mut f = minimal();
    f.indices = vec![0, 1];
    f.materials[0].index_count = 0;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::InvalidValue, "faces", faces_at)
    );
}

#[test]
fn material_errors() {
    let mut f = minimal();
    f.materials[0].index_count = 6;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.item),
        (ErrorKind::InvalidValue, "materials", Some(0))
    );

    let mut f = minimal();
    f.materials[0].toon = 10;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!((e.kind, e.section), (ErrorKind::InvalidValue, "materials"));
}

#[test]
fn vertex_bone_out_of_range() {
    let mut f = minimal();
    f.vertices[2].bones[1] = 1;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.item),
        (ErrorKind::IndexOutOfRange, "vertices", Some(2))
    );
    assert_eq!(e.offset, HEADER_LEN + 4 + 2 * VERTEX_LEN + 32 + 2);

    let mut f = minimal();
    f.vertices[0].weight = 101;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.item),
        (ErrorKind::InvalidValue, "vertices", Some(0))
    );
    assert_eq!(e.offset, HEADER_LEN + 4 + 36);
}

fn error_of(f: &PmdFile) -> (ErrorKind, &'static str, Option<usize>) {
    let e = parse_pmd(&f.build()).unwrap_err();
    (e.kind, e.section, e.item)
}

#[test]
fn bone_and_ik_indices_out_of_range() {
    use ErrorKind::*;
    let mut f = sample();
    f.bones[3].parent = 12;
    assert_eq!(error_of(&f), (IndexOutOfRange, "bones", Some(3)));

    let mut f = sample();
    f.bones[1].tail = 40;
    assert_eq!(error_of(&f), (IndexOutOfRange, "bones", Some(1)));

    let mut f = sample();
    f.bones[6].ik_parent = 12;
    assert_eq!(error_of(&f), (IndexOutOfRange, "bones", Some(6)));

    let mut f = sample();
    f.bones[6].ik_parent = 6;
    assert_eq!(error_of(&f), (InvalidValue, "bones", Some(6)));

    let mut f = sample();
    f.bones[2].parent = 2;
    assert_eq!(error_of(&f), (InvalidValue, "bones", Some(2)));

    let mut f = sample();
    f.bones[5].kind = 10;
    assert_eq!(error_of(&f), (InvalidValue, "bones", Some(5)));

    let mut f = sample();
    f.iks[0].bone = 12;
    assert_eq!(error_of(&f), (IndexOutOfRange, "ik", Some(0)));

    let mut f = sample();
    f.iks[0].effector = 0xFFFF;
    assert_eq!(error_of(&f), (IndexOutOfRange, "ik", Some(0)));

    let mut f = sample();
    f.iks[0].links[1] = 99;
    let e = parse_pmd(&f.build()).unwrap_err();
    assert_eq!((e.kind, e.section), (IndexOutOfRange, "ik"));
    // The second link's bytes.
    let (bytes, _) = sample().build_with_ends();
    assert_eq!(&bytes[e.offset..e.offset + 2], &1u16.to_le_bytes());
}

#[test]
fn morph_indices_out_of_range() {
    use ErrorKind::*;
    let mut f = sample();
    f.skins[0].entries[1].0 = 4;
    assert_eq!(error_of(&f), (IndexOutOfRange, "morphs", Some(0)));

    let mut f = sample();
    f.skins[2].entries[0].0 = 2;
    assert_eq!(error_of(&f), (IndexOutOfRange, "morphs", Some(2)));

    // An empty base: nothing can be indexed through it.
    let mut f = sample();
    f.skins[0].entries.clear();
    assert_eq!(error_of(&f), (IndexOutOfRange, "morphs", Some(1)));
}

#[test]
fn display_indices_out_of_range() {
    use ErrorKind::*;
    let mut f = sample();
    f.morph_display = vec![0];
    assert_eq!(error_of(&f).0, IndexOutOfRange);
    f.morph_display = vec![3];
    assert_eq!(error_of(&f), (IndexOutOfRange, "display_frames", None));

    let mut f = sample();
    f.bone_display[1].0 = 12;
    assert_eq!(error_of(&f), (IndexOutOfRange, "display_frames", Some(1)));

    let mut f = sample();
    f.bone_display[2].1 = 3;
    assert_eq!(error_of(&f), (IndexOutOfRange, "display_frames", Some(2)));
    f.bone_display[2].1 = 0;
    assert_eq!(error_of(&f), (IndexOutOfRange, "display_frames", Some(2)));
}

#[test]
fn physics_errors() {
    use ErrorKind::*;
    let mut f = sample();
    f.rigid_bodies.as_mut().unwrap()[1].bone = 12;
    assert_eq!(error_of(&f), (IndexOutOfRange, "rigid_bodies", Some(1)));

    let mut f = sample();
    f.rigid_bodies.as_mut().unwrap()[0].shape = 3;
    assert_eq!(error_of(&f), (InvalidValue, "rigid_bodies", Some(0)));

    let mut f = sample();
    f.rigid_bodies.as_mut().unwrap()[0].mode = 3;
    assert_eq!(error_of(&f), (InvalidValue, "rigid_bodies", Some(0)));

    let mut f = sample();
    f.joints.as_mut().unwrap()[0].bodies[1] = 2;
    assert_eq!(error_of(&f), (IndexOutOfRange, "joints", Some(0)));
}

#[test]
fn english_flag_must_be_0_or_1() {
    let mut f = sample();
    f.english = None;
    let (mut bytes, ends) = f.build_with_ends();
    assert_eq!(bytes[ends[0]], 0);
    bytes[ends[0]] = 2;
    let e = parse_pmd(&bytes).unwrap_err();
    assert_eq!(
        (e.kind, e.section, e.offset),
        (ErrorKind::InvalidValue, "english_names", ends[0])
    );
}

#[test]
fn rigid_body_without_bone_and_without_center_uses_bone_0() {
    let mut f = sample();
    f.bones[0].name = s("全ての親");
    f.bones[0].position = [0.0, 1.0, 0.0];
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.rigid_bodies[1].position, [0.0, 1.0, 1.0]);
}

#[test]
fn many_vertices_need_wide_vertex_indices() {
    let mut f = minimal();
    let v = f.vertices[0].clone();
    f.vertices.resize(65537, v);
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.header.index_sizes.vertex, 4);
    f.vertices.truncate(65536);
    let m = parse_pmd(&f.build()).unwrap();
    assert_eq!(m.header.index_sizes.vertex, 2);
}

#[test]
fn corrupted_bytes_never_panic() {
    let bytes = sample().build();
    for at in 0..bytes.len() {
        for value in [0x00, 0x7F, 0xFF, bytes[at] ^ 0x01] {
            let mut b = bytes.clone();
            b[at] = value;
            // Any outcome but a panic; errors point inside the file.
            if let Err(e) = parse_pmd(&b) {
                assert!(e.offset <= b.len(), "byte {at} = {value}: {e}");
            }
        }
    }
}

/// The PMD seeds of bench/fuzz.sh (written where PMX_FUZZ_SEEDS_DIR says):
/// both parse, and the richer one keeps its content.
#[test]
fn write_fuzz_seeds() {
    let seeds = [
        ("seed_sample.pmd", sample().build()),
        ("seed_minimal.pmd", minimal().build()),
    ];
    for (_, bytes) in &seeds {
        parse_pmd(bytes).unwrap();
    }
    assert!(!parse_pmd(&seeds[0].1).unwrap().morphs.is_empty());
    if let Some(dir) = std::env::var_os("PMX_FUZZ_SEEDS_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}
