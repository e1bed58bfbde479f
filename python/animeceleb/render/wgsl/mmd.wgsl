// S1 mmd: MMD's own shading (its default shader):
//   colour = saturate(diffuse * light + ambient) * texture * sphere * toon + specular * light
//   toon sampled at (0.5, 0.5 - 0.5 * N.L); sphere multiply or add by mode, a subtexture sphere
//   (at additional UV1) multiplies as MMD's non-add spheres do; edge colour outline.
//!include common.wgsl
//!include lighting.wgsl

fn toon_term(s: Surface) -> vec3f {
    // t_toon is white when the material has no toon; no derivatives needed (explicit level)
    let c = textureSampleLevel(t_toon, clamp_sampler, vec2f(0.5, 0.5 - 0.5 * n_dot_l(s)), 0.0);
    return c.rgb * s.m.toon_mul.rgb + s.m.toon_add.rgb;
}

fn shade(s: Surface) -> vec4f {
    let light = vec3f(s.intensity);
    var c = clamp(s.m.diffuse.rgb * light + s.m.ambient.rgb, vec3f(0.0), vec3f(1.0));
    let tex = texture_colour(s);
    c = c * tex.rgb;
    let mode = s.m.info.y;
    if (mode > 2.5) {
        c = c * sub_colour(s);
    } else if (mode > 1.5) {
        c = c + sphere_colour(s);
    } else if (mode > 0.5) {
        c = c * sphere_colour(s);
    }
    c = c * toon_term(s);
    c = c + mmd_specular(s) * light;
    return vec4f(c, s.m.diffuse.a * tex.a);
}

fn edge(s: Surface) -> vec4f {
    return edge_outline(s);
}
