// S4 soft: smooth (wrapped) Lambert + Blinn-Phong, no toon ramp, no outline (the hull is shaded like the
// surface, keeping the silhouette).  style = (ambient, diffuse gain, specular gain, unused).
//!include common.wgsl
//!include lighting.wgsl

fn shade(s: Surface) -> vec4f {
    let base = albedo(s);
    // wrapped (half-)Lambert: anime faces' soft normals would go grey under a plain clamp
    let diffuse = clamp(0.5 + 0.5 * n_dot_l(s), 0.0, 1.0);
    let shading = frame.style.x + frame.style.y * s.intensity * diffuse;
    let c = base.rgb * shading + blinn(s) * s.intensity * frame.style.z;
    return vec4f(c, base.a);
}

fn edge(s: Surface) -> vec4f {
    return vec4f(shade(s).rgb, edge_outline(s).a);
}
