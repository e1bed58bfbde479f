//! Small hand-built models for the poser tests.
#![allow(dead_code)]

use std::sync::Arc;

pub mod rich;

use pmx_core::glam::{Quat, Vec3};
use pmx_core::{
    bone_flags, Append, Bone, Deform, GroupOffset, Ik, IkLink, Material, Model, Morph, MorphKind,
    MorphOffsets, Poser,
};

/// Builds a [`Model`] piece by piece; every method returns the new item's index.
#[derive(Default)]
pub struct Builder {
    pub model: Model,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// `parent`: a bone index, or -1 for none.
    pub fn bone(&mut self, name: &str, position: [f32; 3], parent: impl TryInto<i32>) -> usize {
        self.model.bones.push(Bone {
            name: name.into(),
            position,
            parent: parent.try_into().unwrap_or(-1),
            ..Bone::default()
        });
        self.model.bones.len() - 1
    }

    pub fn bone_mut(&mut self, index: usize) -> &mut Bone {
        &mut self.model.bones[index]
    }

    /// Makes `bone` take `ratio` of `source`'s rotation (and translation if asked).
    pub fn append(
        &mut self,
        bone: usize,
        source: usize,
        ratio: f32,
        rotate: bool,
        translate: bool,
        local: bool,
    ) {
        let b = &mut self.model.bones[bone];
        b.append = Some(Append {
            parent: source as i32,
            ratio,
        });
        if rotate {
            b.flags |= bone_flags::APPEND_ROTATE;
        }
        if translate {
            b.flags |= bone_flags::APPEND_TRANSLATE;
        }
        if local {
            b.flags |= bone_flags::APPEND_LOCAL;
        }
    }

    pub fn ik(
        &mut self,
        bone: usize,
        target: usize,
        loop_count: i32,
        limit_angle: f32,
        links: Vec<IkLink>,
    ) {
        let b = &mut self.model.bones[bone];
        b.flags |= bone_flags::IK | bone_flags::TRANSLATABLE;
        b.ik = Some(Ik {
            target: target as i32,
            loop_count,
            limit_angle,
            links,
        });
    }

    pub fn vertex(&mut self, position: [f32; 3], normal: [f32; 3], deform: Deform) -> usize {
        let v = &mut self.model.vertices;
        v.positions.push(position);
        v.normals.push(normal);
        v.uvs.push([0.0, 0.0]);
        v.deforms.push(deform);
        v.edge_scales.push(1.0);
        for channel in &mut v.additional_uvs {
            channel.push([0.0; 4]);
        }
        v.positions.len() - 1
    }

    pub fn morph(&mut self, name: &str, kind: MorphKind, offsets: MorphOffsets) -> usize {
        self.model.morphs.push(Morph {
            name: name.into(),
            name_en: String::new(),
            panel: 4,
            kind,
            offsets,
        });
        self.model.morphs.len() - 1
    }

    pub fn group(&mut self, name: &str, children: &[(usize, f32)]) -> usize {
        let items = children
            .iter()
            .map(|&(morph, weight)| GroupOffset {
                morph: morph as i32,
                weight,
            })
            .collect();
        self.morph(name, MorphKind::Group, MorphOffsets::Group(items))
    }

    pub fn material(&mut self, material: Material) -> usize {
        self.model.materials.push(material);
        self.model.materials.len() - 1
    }

    pub fn build(self) -> Arc<Model> {
        Arc::new(self.model)
    }

    pub fn poser(self) -> Poser {
        Poser::new(self.build()).expect("valid test model")
    }
}

pub fn bdef1(bone: usize) -> Deform {
    Deform::Bdef1 { bone: bone as i32 }
}

pub fn bdef2(b0: usize, b1: usize, weight: f32) -> Deform {
    Deform::Bdef2 {
        bones: [b0 as i32, b1 as i32],
        weight,
    }
}

pub const UP: [f32; 3] = [0.0, 1.0, 0.0];

#[track_caller]
pub fn assert_close(got: [f32; 3], want: [f32; 3], tol: f32) {
    let d = Vec3::from(got).distance(Vec3::from(want));
    assert!(d <= tol, "got {got:?}, want {want:?} (off by {d})");
}

#[track_caller]
pub fn assert_quat_close(got: Quat, want: Quat, tol: f32) {
    let d = got.dot(want).abs();
    assert!(1.0 - d <= tol, "got {got:?}, want {want:?}");
}

/// A rotation of `deg` degrees about `axis` (glam's right-handed convention).
pub fn rot(axis: Vec3, deg: f32) -> Quat {
    Quat::from_axis_angle(axis.normalize(), deg.to_radians())
}

/// The model's bind positions.
pub fn bind(poser: &Poser) -> Vec<[f32; 3]> {
    poser.model().vertices.positions.clone()
}
