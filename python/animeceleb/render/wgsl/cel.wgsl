// S2 cel: hard two-tone cel shading with a fixed threshold on N.L, edge outline, no sphere map
// and no specular.  style = (threshold, shadow factor, brightness at light 0, per unit light).
//!include common.wgsl
//!include lighting.wgsl

fn shade(s: Surface) -> vec4f {
    let base = albedo(s);
    let lit = select(frame.style.y, 1.0, n_dot_l(s) > frame.style.x);
    let brightness = frame.style.z + frame.style.w * s.intensity;
    return vec4f(base.rgb * lit * brightness, base.a);
}

fn edge(s: Surface) -> vec4f {
    return edge_outline(s);
}
