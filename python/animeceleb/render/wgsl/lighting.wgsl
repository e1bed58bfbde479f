// MMD material helpers shared by the styles.

// Texture x diffuse with the material morph's texture factors (MMD: tex * mul + add).
fn albedo(s: Surface) -> vec4f {
    var tex = vec4f(1.0);
    if (s.m.info.z > 0.5) {
        tex = s.tex * s.m.tex_mul + s.m.tex_add;
    }
    return vec4f(s.m.diffuse.rgb * tex.rgb, s.m.diffuse.a * tex.a);
}

// The texture's colour only (white when the material has none), factors applied.
fn texture_colour(s: Surface) -> vec4f {
    if (s.m.info.z > 0.5) {
        return s.tex * s.m.tex_mul + s.m.tex_add;
    }
    return vec4f(1.0);
}

fn n_dot_l(s: Surface) -> f32 {
    return dot(s.normal, s.light);
}

// Blinn-Phong highlight, MMD's form: pow(N.H, specularity) x specular colour.  A zero
// specularity gives no highlight here (the soft style's choice; mmd_specular follows MMD).
fn blinn(s: Surface) -> vec3f {
    let power = s.m.specular.w;
    if (power <= 0.0) {
        return vec3f(0.0);
    }
    let h = normalize(s.view + s.light);
    return pow(max(dot(h, s.normal), 0.0), power) * s.m.specular.rgb;
}

// MMD's specular term.  Its shader computes pow(max(0, N.H), specularity) x specular without a
// guard, and HLSL's pow(x, 0) is 1: a zero specularity adds the whole specular colour (WGSL's
// pow(0, 0) is undefined, hence the branch).  A negative specularity counts as zero.
fn mmd_specular(s: Surface) -> vec3f {
    if (s.m.specular.w <= 0.0) {
        return s.m.specular.rgb;
    }
    return blinn(s);
}

// The edge: MMD fills the hull with the edge colour, its alpha included, and nothing else (no
// texture, no material alpha), so cut-out textures get outlined as their geometry is.
fn edge_outline(s: Surface) -> vec4f {
    return s.m.edge_color;
}

// MMD's sphere map: sampled at the view-space normal's xy (y down in texture space), with the
// material morph's sphere factors.  The view space is the world's (camera along +Z).
fn sphere_colour(s: Surface) -> vec3f {
    let uv = vec2f(s.normal.x * 0.5 + 0.5, 0.5 - s.normal.y * 0.5);
    let c = textureSampleLevel(t_sphere, clamp_sampler, uv, 0.0);
    return c.rgb * s.m.sph_mul.rgb + s.m.sph_add.rgb;
}

// A subtexture sphere (sampled at additional UV1 by fs_sub), with the same morph factors.
fn sub_colour(s: Surface) -> vec3f {
    return s.sub.rgb * s.m.sph_mul.rgb + s.m.sph_add.rgb;
}
