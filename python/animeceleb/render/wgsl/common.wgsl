// Shared by every style: bindings, vertex stages, fragment entry points.
// A style file includes this and defines shade(s: Surface) and edge(s: Surface), both returning
// straight-alpha colour; the entry points premultiply it (the target is blended premultiplied
// and un-premultiplied on readback).

struct Frame {
    view_proj: mat4x4f,
    light_dir: vec4f,   // xyz: direction the light travels, world space (unit)
    light: vec4f,       // x: intensity, y: clip units per pixel, z: edge pixels per edge unit
    style: vec4f,       // the style's knobs (styles.py)
};

struct Material {
    diffuse: vec4f,
    specular: vec4f,    // rgb, w: specularity (power)
    ambient: vec4f,     // rgb, w: unused
    edge_color: vec4f,
    info: vec4f,        // x: edge size, y: sphere mode (0 off, 1 mul, 2 add, 3 subtexture),
                        // z: has texture, w: has toon
    tex_mul: vec4f,
    tex_add: vec4f,
    sph_mul: vec4f,
    sph_add: vec4f,
    toon_mul: vec4f,
    toon_add: vec4f,
};

@group(0) @binding(0) var<uniform> frame: Frame;
@group(0) @binding(1) var<storage, read> materials: array<Material>;
@group(0) @binding(2) var wrap_sampler: sampler;
@group(0) @binding(3) var clamp_sampler: sampler;
@group(1) @binding(0) var t_color: texture_2d<f32>;
@group(1) @binding(1) var t_sphere: texture_2d<f32>;
@group(1) @binding(2) var t_toon: texture_2d<f32>;

struct VsOut {
    @builtin(position) clip: vec4f,
    @location(0) normal: vec3f,
    @location(1) uv: vec2f,
    @location(2) @interpolate(flat) mat: u32,
};

// What a style shades: the world normal facing the viewer side of the triangle, the UV, the
// material, the light, and the colour texture (sampled here, in uniform control flow).  Styles
// sample other textures in shade()/edge(), outside branches, or with textureSampleLevel.
struct Surface {
    normal: vec3f,
    view: vec3f,        // unit vector toward the camera
    light: vec3f,       // unit vector toward the light
    intensity: f32,
    uv: vec2f,
    m: Material,
    tex: vec4f,         // colour texture (white when none)
    sub: vec4f,         // the sphere texture at additional UV1 (subtexture materials; else white)
};

fn vertex_out(position: vec3f, normal: vec3f, uv: vec2f, mat: u32) -> VsOut {
    var out: VsOut;
    out.clip = frame.view_proj * vec4f(position, 1.0);
    out.normal = normal;
    out.uv = uv;
    out.mat = mat;
    return out;
}

// The material index travels as the instance index (draw_indexed(first_instance = material)).
@vertex
fn vs_main(
    @location(0) position: vec3f,
    @location(1) normal: vec3f,
    @location(2) uv: vec2f,
    @builtin(instance_index) mat: u32,
) -> VsOut {
    return vertex_out(position, normal, uv, mat);
}

// Subtexture-sphere materials only (their own pipelines): additional UV1 rides along, so the
// common path carries no extra vertex buffer or interpolant.
struct VsSubOut {
    @builtin(position) clip: vec4f,
    @location(0) normal: vec3f,
    @location(1) uv: vec2f,
    @location(2) @interpolate(flat) mat: u32,
    @location(3) uv1: vec2f,
};

@vertex
fn vs_sub(
    @location(0) position: vec3f,
    @location(1) normal: vec3f,
    @location(2) uv: vec2f,
    @location(4) uv1: vec2f,
    @builtin(instance_index) mat: u32,
) -> VsSubOut {
    let v = vertex_out(position, normal, uv, mat);
    return VsSubOut(v.clip, v.normal, v.uv, v.mat, uv1);
}

// The edge: an inverted hull, each vertex pushed out along its normal as projected on screen by
// edge size x per-vertex edge scale pixels, drawn with front faces culled.
@vertex
fn vs_edge(
    @location(0) position: vec3f,
    @location(1) normal: vec3f,
    @location(2) uv: vec2f,
    @location(3) edge_scale: f32,
    @builtin(instance_index) mat: u32,
) -> VsOut {
    var out: VsOut;
    let clip = frame.view_proj * vec4f(position, 1.0);
    let n = (frame.view_proj * vec4f(normal, 0.0)).xy;
    let len_n = length(n);
    var dir = vec2f(0.0, 0.0);
    if (len_n > 1e-6) {
        dir = n / len_n;
    }
    // at least one pixel wide where there is an edge: thinner lines rasterize as dots
    var pixels = materials[mat].info.x * edge_scale * frame.light.z;
    if (pixels > 0.0) {
        pixels = max(pixels, 1.0);
    }
    out.clip = vec4f(clip.xy + dir * pixels * frame.light.y * clip.w, clip.zw);
    out.normal = normal;
    out.uv = uv;
    out.mat = mat;
    return out;
}

fn surface(in: VsOut, front: bool) -> Surface {
    var s: Surface;
    var n = normalize(in.normal);
    if (!front) {
        n = -n;  // the back of a double-sided material
    }
    s.normal = n;
    s.view = vec3f(0.0, 0.0, -1.0);  // orthographic camera at -Z looking along +Z
    s.light = -frame.light_dir.xyz;
    s.intensity = frame.light.x;
    s.uv = in.uv;
    s.m = materials[in.mat];
    s.tex = textureSample(t_color, wrap_sampler, in.uv);
    s.sub = vec4f(1.0);
    return s;
}

fn premultiply(c: vec4f) -> vec4f {
    let a = clamp(c.a, 0.0, 1.0);
    if (a <= 0.0) {
        discard;
    }
    return vec4f(clamp(c.rgb, vec3f(0.0), vec3f(1.0)) * a, a);
}

@fragment
fn fs_main(in: VsOut, @builtin(front_facing) front: bool) -> @location(0) vec4f {
    return premultiply(shade(surface(in, front)));
}

// MMD (its shader's second texture coordinate) samples a subtexture sphere like a colour
// texture: wrapped, mipmapped, at additional UV1.
@fragment
fn fs_sub(in: VsSubOut, @builtin(front_facing) front: bool) -> @location(0) vec4f {
    var s = surface(VsOut(in.clip, in.normal, in.uv, in.mat), front);
    s.sub = textureSample(t_sphere, wrap_sampler, in.uv1);
    return premultiply(shade(s));
}

@fragment
fn fs_edge(in: VsOut) -> @location(0) vec4f {
    return premultiply(edge(surface(in, true)));
}
