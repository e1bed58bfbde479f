//! IK: cyclic coordinate descent in MMD's manner (as babylon-mmd's
//! `IkSolver`, which reproduces MMD's behaviour closely).
//!
//! For `loop_count` iterations (capped at 256), each link in stored order
//! (effector side first) turns so that the effector (the IK's target bone)
//! swings toward the IK bone's position. A link turns at most
//! `limit_angle × (link index + 1)` per step. A link with Euler limits is
//! decomposed in an order chosen from its limits (YXZ when X stays within
//! ±90°, else ZYX when Y does, else XZY), clamped per axis, and rebuilt.
//! During the first half of the iterations a link limited to a single axis
//! (knee style: only X may move) turns about that axis only, with the sign
//! taken from the wanted turn, and an angle past a limit is reflected back
//! into the range (`2·limit − angle`) instead of stopping at it; this is what
//! makes a straight knee bend the right way. A link whose limits are all zero
//! never moves. Solving stops early once the effector is within 1e-4 of the
//! IK bone. Internally the solver works in f64 for stable convergence.
//!
//! Two departures from babylon-mmd, both for robustness: limited links are
//! brought within their limits before the first step (so a straight knee
//! starts bent by its -0.5° limit and can bend on a goal straight above the
//! ankle), and a turn is skipped only below 1e-7 rad rather than 1e-4.
//!
//! Moving the IK bone (user translation on it, or on a parent) moves the goal.

use glam::{DMat3, DQuat, DVec3, Quat};

use super::fk::update_world;
use super::{Skeleton, SkeletonState};
use crate::model::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EulerOrder {
    Yxz,
    Zyx,
    Xzy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SolveAxis {
    Free,
    Locked,
    X,
    Y,
    Z,
}

#[derive(Debug, Clone)]
struct Limits {
    min: DVec3,
    max: DVec3,
    order: EulerOrder,
}

#[derive(Debug, Clone)]
struct Link {
    bone: u32,
    limits: Option<Limits>,
    axis: SolveAxis,
    /// Index in `IkSolver::path`, when the link is an ancestor of the target.
    path_pos: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct IkSolver {
    pub ik_bone: u32,
    pub target: u32,
    iterations: u32,
    limit_angle: f64,
    links: Vec<Link>,
    /// Bones from the root-most link down to the target, parents first.
    path: Vec<u32>,
    /// Every bone under (or equal to) a link, parents first: refreshed once
    /// the chain is solved.
    affected: Vec<u32>,
}

const MAX_ITERATIONS: u32 = 256;
/// Effector this close (squared) to the goal: solved.
const CLOSE_ENOUGH2: f64 = 1.0e-8;
/// Turn axis shorter than this (squared sine of the turn): nothing to do.
/// Finer than babylon-mmd's 1e-8, which stalls CCD about 1e-3 short of the
/// goal when the remaining error lies along the line through a joint.
const NO_TURN2: f64 = 1.0e-14;

impl IkSolver {
    /// The solver of bone `ik_bone`, or `None` when it has no usable IK
    /// (no IK data, target outside the table, no valid link).
    pub fn new(
        model: &Model,
        ik_bone: usize,
        parents: &[Option<u32>],
        topo: &[u32],
    ) -> Option<IkSolver> {
        let n = model.bones.len();
        let ik = model.bones[ik_bone].ik.as_ref()?;
        let valid = |i: i32| i >= 0 && (i as usize) < n && i as usize != ik_bone;
        if !valid(ik.target) {
            return None;
        }
        let target = ik.target as usize;

        let mut ancestors = Vec::new();
        let mut cur = Some(target as u32);
        while let Some(b) = cur {
            ancestors.push(b);
            cur = parents[b as usize];
        }

        let mut links = Vec::new();
        let mut top = 0;
        for link in &ik.links {
            if !valid(link.bone) || link.bone as usize == target {
                continue;
            }
            let bone = link.bone as u32;
            if let Some(k) = ancestors.iter().position(|&a| a == bone) {
                top = top.max(k);
            }
            let (limits, axis) = match link.limits {
                Some(l) => {
                    let a = DVec3::from_array(l.min.map(f64::from));
                    let b = DVec3::from_array(l.max.map(f64::from));
                    let (min, max) = (a.min(b), a.max(b));
                    let half_pi = std::f64::consts::FRAC_PI_2;
                    let order = if -half_pi < min.x && max.x < half_pi {
                        EulerOrder::Yxz
                    } else if -half_pi < min.y && max.y < half_pi {
                        EulerOrder::Zyx
                    } else {
                        EulerOrder::Xzy
                    };
                    let zero = |i: usize| min[i] == 0.0 && max[i] == 0.0;
                    let axis = match (zero(0), zero(1), zero(2)) {
                        (true, true, true) => SolveAxis::Locked,
                        (false, true, true) => SolveAxis::X,
                        (true, false, true) => SolveAxis::Y,
                        (true, true, false) => SolveAxis::Z,
                        _ => SolveAxis::Free,
                    };
                    (Some(Limits { min, max, order }), axis)
                }
                None => (None, SolveAxis::Free),
            };
            links.push(Link {
                bone,
                limits,
                axis,
                path_pos: None,
            });
        }
        if links.is_empty() {
            return None;
        }
        let mut path: Vec<u32> = ancestors[..=top].to_vec();
        path.reverse();
        for link in &mut links {
            link.path_pos = path.iter().position(|&p| p == link.bone);
        }

        let mut under = vec![false; n];
        for l in &links {
            under[l.bone as usize] = true;
        }
        let mut affected = Vec::new();
        for &b in topo {
            let b = b as usize;
            if !under[b] {
                if let Some(p) = parents[b] {
                    under[b] = under[p as usize];
                }
            }
            if under[b] {
                affected.push(b as u32);
            }
        }

        Some(IkSolver {
            ik_bone: ik_bone as u32,
            target: target as u32,
            iterations: ik.loop_count.clamp(0, MAX_ITERATIONS as i32) as u32,
            limit_angle: f64::from(ik.limit_angle),
            links,
            path,
            affected,
        })
    }

    fn position(st: &SkeletonState, bone: u32) -> DVec3 {
        glam::Vec3::from(st.world[bone as usize].translation).as_dvec3()
    }

    /// Solves the chain for the current pose; world transforms of every bone
    /// under the chain are up to date afterwards.
    pub fn solve(&self, skel: &Skeleton, st: &mut SkeletonState) {
        for link in &self.links {
            st.ik_rotation[link.bone as usize] = Quat::IDENTITY;
        }
        for &b in &self.path {
            update_world(skel, b as usize, st);
        }
        let goal = Self::position(st, self.ik_bone);
        let mut effector = Self::position(st, self.target);
        if goal.distance_squared(effector) >= CLOSE_ENOUGH2 {
            self.start_within_limits(skel, st);
            effector = Self::position(st, self.target);
            let half = self.iterations / 2;
            for i in 0..self.iterations {
                for ci in 0..self.links.len() {
                    if self.links[ci].axis != SolveAxis::Locked {
                        effector = self.solve_link(skel, st, ci, goal, effector, i < half);
                    }
                }
                if goal.distance_squared(effector) < CLOSE_ENOUGH2 {
                    break;
                }
            }
        }
        for &b in &self.affected {
            update_world(skel, b as usize, st);
        }
    }

    /// Brings every limited link's rotation into its limits before the
    /// first step. A straight knee (rotation 0, limit [-180°, -0.5°]) then
    /// starts slightly bent, which lets CCD bend it further even when the
    /// goal lies on the line of the straight leg (where every turn axis
    /// would vanish).
    fn start_within_limits(&self, skel: &Skeleton, st: &mut SkeletonState) {
        let mut changed = false;
        for link in &self.links {
            if let Some(limits) = &link.limits {
                let b = link.bone as usize;
                let local = st.rotation[b].as_dquat();
                let limited = limit_rotation(DMat3::from_quat(local), limits, false);
                let ik = (limited * local.inverse()).normalize().as_quat();
                if 1.0 - ik.w.abs() > 1e-7 {
                    st.ik_rotation[b] = ik;
                    changed = true;
                }
            }
        }
        if changed {
            for &b in &self.path {
                update_world(skel, b as usize, st);
            }
        }
    }

    fn solve_link(
        &self,
        skel: &Skeleton,
        st: &mut SkeletonState,
        ci: usize,
        goal: DVec3,
        effector: DVec3,
        use_axis: bool,
    ) -> DVec3 {
        let link = &self.links[ci];
        let b = link.bone as usize;
        let joint = Self::position(st, link.bone);
        let to_effector = (joint - effector).normalize_or_zero();
        let to_goal = (joint - goal).normalize_or_zero();
        let world_axis = to_effector.cross(to_goal);
        if world_axis.length_squared() < NO_TURN2 {
            return effector;
        }
        let parent = match skel.bones[b].parent {
            Some(p) => st.world[p as usize].matrix3.as_dmat3(),
            None => DMat3::IDENTITY,
        };
        let sign = |v: DVec3| if world_axis.dot(v) >= 0.0 { 1.0 } else { -1.0 };
        let axis = match (link.limits.is_some() && use_axis, link.axis) {
            (true, SolveAxis::X) => DVec3::new(sign(parent.x_axis), 0.0, 0.0),
            (true, SolveAxis::Y) => DVec3::new(0.0, sign(parent.y_axis), 0.0),
            (true, SolveAxis::Z) => DVec3::new(0.0, 0.0, sign(parent.z_axis)),
            _ => (parent.transpose() * world_axis).normalize_or_zero(),
        };
        if axis == DVec3::ZERO {
            return effector;
        }
        let angle = (self.limit_angle * (ci + 1) as f64)
            .min(to_effector.dot(to_goal).clamp(-1.0, 1.0).acos());
        let mut ik = DQuat::from_axis_angle(axis, angle) * st.ik_rotation[b].as_dquat();
        if let Some(limits) = &link.limits {
            let local = st.rotation[b].as_dquat();
            let limited = limit_rotation(DMat3::from_quat(ik * local), limits, use_axis);
            ik = limited * local.inverse();
        }
        st.ik_rotation[b] = ik.normalize().as_quat();

        match link.path_pos {
            Some(k) => {
                for &p in &self.path[k..] {
                    update_world(skel, p as usize, st);
                }
            }
            None => update_world(skel, b, st),
        }
        Self::position(st, self.target)
    }
}

/// Clamps one limit angle; with `reflect`, an angle past a limit is mirrored
/// back into the range when the mirror image fits.
fn limit_angle(angle: f64, min: f64, max: f64, reflect: bool) -> f64 {
    if angle < min {
        let mirrored = 2.0 * min - angle;
        if reflect && mirrored <= max {
            mirrored
        } else {
            min
        }
    } else if angle > max {
        let mirrored = 2.0 * max - angle;
        if reflect && mirrored >= min {
            mirrored
        } else {
            max
        }
    } else {
        angle
    }
}

/// Decomposes `m` into Euler angles in the link's order, clamps each to its
/// limits, and rebuilds the rotation.
fn limit_rotation(m: DMat3, limits: &Limits, reflect: bool) -> DQuat {
    // The middle angle of the decomposition stays off ±90° (gimbal lock).
    let threshold = 88.0f64.to_radians();
    let clamp_mid = |a: f64| a.clamp(-threshold, threshold);
    let inv_cos = |a: f64| {
        let c = a.cos();
        if c != 0.0 {
            1.0 / c
        } else {
            c
        }
    };
    let (min, max) = (limits.min, limits.max);
    let lim = |a: f64, i: usize| limit_angle(a, min[i], max[i], reflect);
    let rx = |a: f64| DQuat::from_rotation_x(a);
    let ry = |a: f64| DQuat::from_rotation_y(a);
    let rz = |a: f64| DQuat::from_rotation_z(a);
    match limits.order {
        EulerOrder::Yxz => {
            // m = Ry · Rx · Rz
            let x = clamp_mid((-m.z_axis.y).clamp(-1.0, 1.0).asin());
            let k = inv_cos(x);
            let y = (m.z_axis.x * k).atan2(m.z_axis.z * k);
            let z = (m.x_axis.y * k).atan2(m.y_axis.y * k);
            ry(lim(y, 1)) * rx(lim(x, 0)) * rz(lim(z, 2))
        }
        EulerOrder::Zyx => {
            // m = Rz · Ry · Rx
            let y = clamp_mid((-m.x_axis.z).clamp(-1.0, 1.0).asin());
            let k = inv_cos(y);
            let x = (m.y_axis.z * k).atan2(m.z_axis.z * k);
            let z = (m.x_axis.y * k).atan2(m.x_axis.x * k);
            rz(lim(z, 2)) * ry(lim(y, 1)) * rx(lim(x, 0))
        }
        EulerOrder::Xzy => {
            // m = Rx · Rz · Ry
            let z = clamp_mid((-m.y_axis.x).clamp(-1.0, 1.0).asin());
            let k = inv_cos(z);
            let x = (m.y_axis.z * k).atan2(m.y_axis.y * k);
            let y = (m.z_axis.x * k).atan2(m.x_axis.x * k);
            rx(lim(x, 0)) * rz(lim(z, 2)) * ry(lim(y, 1))
        }
    }
}
