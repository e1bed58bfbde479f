// S3 flat: unlit albedo, texture x diffuse only.  No outline: the hull takes the albedo too,
// which keeps the silhouette of the other styles.
//!include common.wgsl
//!include lighting.wgsl

fn shade(s: Surface) -> vec4f {
    return albedo(s);
}

fn edge(s: Surface) -> vec4f {
    return vec4f(albedo(s).rgb, edge_outline(s).a);
}
