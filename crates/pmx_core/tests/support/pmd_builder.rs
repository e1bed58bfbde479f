//! Test-only PMD writer: describe a PMD file field by field and get its bytes.
//! Names are encoded as Shift-JIS, NUL-terminated and padded with 0xFD the way
//! PMD Editor leaves its fixed-width fields.

#![allow(dead_code)]

use pmx_core::parse::text::encode;
use pmx_core::Encoding;

#[derive(Clone, Debug)]
pub struct PmdVertex {
    pub position: [f32; 3],
    pub normal: [f32; 3],
    pub uv: [f32; 2],
    pub bones: [u16; 2],
    pub weight: u8,
    /// 0 = edge drawn, 1 = no edge.
    pub edge_off: u8,
}

#[derive(Clone, Debug)]
pub struct PmdMaterial {
    pub diffuse: [f32; 4],
    pub specularity: f32,
    pub specular: [f32; 3],
    pub ambient: [f32; 3],
    pub toon: u8,
    pub edge: u8,
    pub index_count: u32,
    pub texture: String,
}

#[derive(Clone, Debug)]
pub struct PmdBone {
    pub name: String,
    pub parent: u16,
    pub tail: u16,
    pub kind: u8,
    pub ik_parent: u16,
    pub position: [f32; 3],
}

#[derive(Clone, Debug)]
pub struct PmdIk {
    pub bone: u16,
    pub effector: u16,
    pub iterations: u16,
    pub control_weight: f32,
    pub links: Vec<u16>,
}

#[derive(Clone, Debug)]
pub struct PmdSkin {
    pub name: String,
    pub kind: u8,
    pub entries: Vec<(u32, [f32; 3])>,
}

#[derive(Clone, Debug)]
pub struct PmdEnglish {
    pub name: String,
    pub comment: String,
    pub bones: Vec<String>,
    /// Every skin but the base.
    pub skins: Vec<String>,
    pub frames: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct PmdRigidBody {
    pub name: String,
    pub bone: u16,
    pub group: u8,
    pub mask: u16,
    pub shape: u8,
    pub size: [f32; 3],
    pub position: [f32; 3],
    pub rotation: [f32; 3],
    /// mass, linear damping, angular damping, restitution, friction
    pub params: [f32; 5],
    pub mode: u8,
}

#[derive(Clone, Debug)]
pub struct PmdJoint {
    pub name: String,
    pub bodies: [u32; 2],
    /// position, rotation, position min/max, rotation min/max, springs
    pub vectors: [[f32; 3]; 8],
}

/// A whole PMD file. Optional extensions are written when set, and also when a
/// later one is set (English as flag 0, toons as the default names, rigid bodies
/// as an empty list), since the format has no other way to skip them.
#[derive(Clone, Debug)]
pub struct PmdFile {
    pub magic: [u8; 3],
    pub version: f32,
    pub name: String,
    pub comment: String,
    pub vertices: Vec<PmdVertex>,
    pub indices: Vec<u16>,
    pub materials: Vec<PmdMaterial>,
    pub bones: Vec<PmdBone>,
    pub iks: Vec<PmdIk>,
    pub skins: Vec<PmdSkin>,
    pub morph_display: Vec<u16>,
    pub frame_names: Vec<String>,
    pub bone_display: Vec<(u16, u8)>,
    pub english: Option<PmdEnglish>,
    pub toons: Option<Vec<String>>,
    pub rigid_bodies: Option<Vec<PmdRigidBody>>,
    pub joints: Option<Vec<PmdJoint>>,
}

impl Default for PmdFile {
    fn default() -> Self {
        PmdFile {
            magic: *b"Pmd",
            version: 1.0,
            name: String::new(),
            comment: String::new(),
            vertices: Vec::new(),
            indices: Vec::new(),
            materials: Vec::new(),
            bones: Vec::new(),
            iks: Vec::new(),
            skins: Vec::new(),
            morph_display: Vec::new(),
            frame_names: Vec::new(),
            bone_display: Vec::new(),
            english: None,
            toons: None,
            rigid_bodies: None,
            joints: None,
        }
    }
}

#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
}

impl Out {
    fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    fn floats(&mut self, v: &[f32]) {
        for &x in v {
            self.f32(x);
        }
    }
    fn len32(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("count fits u32"));
    }
    /// Shift-JIS, NUL-terminated when shorter than `width`, padded with 0xFD.
    fn text(&mut self, s: &str, width: usize) {
        let b = encode(s, Encoding::ShiftJis).expect("encodable as Shift-JIS");
        assert!(b.len() <= width, "{s:?} does not fit {width} bytes");
        self.bytes.extend_from_slice(&b);
        if b.len() < width {
            self.bytes.push(0);
            self.bytes
                .resize(self.bytes.len() + width - b.len() - 1, 0xFD);
        }
    }
}

impl PmdFile {
    pub fn build(&self) -> Vec<u8> {
        self.build_with_ends().0
    }

    /// The bytes, and every length at which the file may validly end (after
    /// the display lists and after each extension written).
    pub fn build_with_ends(&self) -> (Vec<u8>, Vec<usize>) {
        let mut o = Out::default();
        let mut ends = Vec::new();
        o.bytes.extend_from_slice(&self.magic);
        o.f32(self.version);
        o.text(&self.name, 20);
        o.text(&self.comment, 256);

        o.len32(self.vertices.len());
        for v in &self.vertices {
            o.floats(&v.position);
            o.floats(&v.normal);
            o.floats(&v.uv);
            o.u16(v.bones[0]);
            o.u16(v.bones[1]);
            o.u8(v.weight);
            o.u8(v.edge_off);
        }

        o.len32(self.indices.len());
        for &i in &self.indices {
            o.u16(i);
        }

        o.len32(self.materials.len());
        for m in &self.materials {
            o.floats(&m.diffuse);
            o.f32(m.specularity);
            o.floats(&m.specular);
            o.floats(&m.ambient);
            o.u8(m.toon);
            o.u8(m.edge);
            o.u32(m.index_count);
            o.text(&m.texture, 20);
        }

        o.u16(u16::try_from(self.bones.len()).unwrap());
        for b in &self.bones {
            o.text(&b.name, 20);
            o.u16(b.parent);
            o.u16(b.tail);
            o.u8(b.kind);
            o.u16(b.ik_parent);
            o.floats(&b.position);
        }

        o.u16(u16::try_from(self.iks.len()).unwrap());
        for ik in &self.iks {
            o.u16(ik.bone);
            o.u16(ik.effector);
            o.u8(u8::try_from(ik.links.len()).unwrap());
            o.u16(ik.iterations);
            o.f32(ik.control_weight);
            for &l in &ik.links {
                o.u16(l);
            }
        }

        o.u16(u16::try_from(self.skins.len()).unwrap());
        for s in &self.skins {
            o.text(&s.name, 20);
            o.len32(s.entries.len());
            o.u8(s.kind);
            for (i, p) in &s.entries {
                o.u32(*i);
                o.floats(p);
            }
        }

        o.u8(u8::try_from(self.morph_display.len()).unwrap());
        for &m in &self.morph_display {
            o.u16(m);
        }
        o.u8(u8::try_from(self.frame_names.len()).unwrap());
        for f in &self.frame_names {
            o.text(f, 50);
        }
        o.len32(self.bone_display.len());
        for &(b, f) in &self.bone_display {
            o.u16(b);
            o.u8(f);
        }
        ends.push(o.bytes.len());

        let physics = self.rigid_bodies.is_some() || self.joints.is_some();
        let toons = self.toons.is_some() || physics;
        if let Some(e) = &self.english {
            o.u8(1);
            o.text(&e.name, 20);
            o.text(&e.comment, 256);
            for n in &e.bones {
                o.text(n, 20);
            }
            for n in &e.skins {
                o.text(n, 20);
            }
            for n in &e.frames {
                o.text(n, 50);
            }
            ends.push(o.bytes.len());
        } else if toons {
            o.u8(0);
            ends.push(o.bytes.len());
        }

        if toons {
            let defaults: Vec<String> = (1..=10).map(|i| format!("toon{i:02}.bmp")).collect();
            let names = self.toons.as_ref().unwrap_or(&defaults);
            assert_eq!(names.len(), 10);
            for n in names {
                o.text(n, 100);
            }
            ends.push(o.bytes.len());
        }

        if physics {
            let empty = Vec::new();
            let bodies = self.rigid_bodies.as_ref().unwrap_or(&empty);
            o.len32(bodies.len());
            for r in bodies {
                o.text(&r.name, 20);
                o.u16(r.bone);
                o.u8(r.group);
                o.u16(r.mask);
                o.u8(r.shape);
                o.floats(&r.size);
                o.floats(&r.position);
                o.floats(&r.rotation);
                o.floats(&r.params);
                o.u8(r.mode);
            }
            ends.push(o.bytes.len());
        }

        if let Some(joints) = &self.joints {
            o.len32(joints.len());
            for j in joints {
                o.text(&j.name, 20);
                o.u32(j.bodies[0]);
                o.u32(j.bodies[1]);
                for v in &j.vectors {
                    o.floats(v);
                }
            }
            ends.push(o.bytes.len());
        }
        (o.bytes, ends)
    }
}
