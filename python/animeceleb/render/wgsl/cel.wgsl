// S2 cel: hard two-tone cel shading with a fixed threshold on N.L, edge outline, no sphere map
// and no specular.  The shadow tone is the albedo times a cool tint, as anime cel shadows are.
// style = (threshold, shadow factor, brightness at light 0, brightness per unit light).
//!include common.wgsl
//!include lighting.wgsl

const SHADOW_TINT = vec3f(0.88, 0.82, 0.96);

fn shade(s: Surface) -> vec4f {
    let base = albedo(s);
    let lit = n_dot_l(s) > frame.style.x;
    let tone = select(SHADOW_TINT * frame.style.y, vec3f(1.0), lit);
    let brightness = frame.style.z + frame.style.w * s.intensity;
    return vec4f(base.rgb * tone * brightness, base.a);
}

fn edge(s: Surface) -> vec4f {
    return edge_outline(s);
}
