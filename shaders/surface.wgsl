// The lab's 3-D loss surface L(θ1, θ2) (src/lab/surface.ts): three render pipelines share these uniforms.
//
//  - vs_surface / fs_surface: the (res × res) grid as a triangle list, coloured by height with a viridis ramp,
//    Lambert shading and iso-loss contour lines;
//  - vs_line / fs_line: thick line segments (the floor frame, the axes, the training path), one instance per
//    segment, expanded to a screen-space quad of `width` CSS pixels (WebGPU lines are 1 pixel wide);
//  - vs_dot / fs_dot: round markers (the current point), one instance per dot, `radius` CSS pixels.
//
// Surface coordinates, used by every vertex input: x = θ1 offset / radius1 ∈ [−1, 1], y = the normalised loss
// height ∈ [0, 1] (linear or log scale, chosen on the CPU), z = θ2 offset / radius2 ∈ [−1, 1].
// World space: (x, y · heightScale, −z), so that (θ1, θ2, L) is right-handed with L up — θ2 grows away from a
// viewer who sees θ1 growing to the right.

struct Uniforms {
  viewProjection: mat4x4f,
  // xyz: unit vector towards the light, world space.
  lightDir: vec4f,
  // The canvas size in CSS pixels: line widths and dot radii are in CSS pixels too.
  viewport: vec2f,
  // World height of normalised loss 1.
  heightScale: f32,
  // Iso-loss contour lines per unit of normalised height (0: none).
  contours: f32,
}

@group(0) @binding(0) var<uniform> u: Uniforms;

fn toWorld(p: vec3f) -> vec3f {
  return vec3f(p.x, p.y * u.heightScale, -p.z);
}

// Viridis approximated by a degree-6 polynomial per channel (Matt Zucker's fit, CC0); t in [0, 1].
// NOTE: src/lab/surface.ts has the same coefficients for the 2-D heatmap fallback; keep them in step.
fn viridis(t: f32) -> vec3f {
  let c0 = vec3f(0.2777273272234177, 0.005407344544966578, 0.3340998053353061);
  let c1 = vec3f(0.1050930431085774, 1.404613529898575, 1.384590162594685);
  let c2 = vec3f(-0.3308618287255563, 0.214847559468213, 0.09509516302823659);
  let c3 = vec3f(-4.634230498983486, -5.799100973351585, -19.33244095627987);
  let c4 = vec3f(6.228269936347081, 14.17993336680509, 56.69055260068105);
  let c5 = vec3f(4.776384997670288, -13.74514537774601, -65.35303263337234);
  let c6 = vec3f(-5.435455855934631, 4.645852612178535, 26.3124352495832);
  let x = clamp(t, 0.0, 1.0);
  return clamp(c0 + x * (c1 + x * (c2 + x * (c3 + x * (c4 + x * (c5 + x * c6))))), vec3f(0.0), vec3f(1.0));
}

// ---------------------------------------------------------------------------------------------------------
// The surface mesh.

struct SurfaceIn {
  @location(0) position: vec3f,
  // Surface-coordinate normal (from central differences on the CPU, already in world orientation).
  @location(1) normal: vec3f,
}

struct SurfaceOut {
  @builtin(position) clip: vec4f,
  @location(0) height: f32,
  @location(1) normal: vec3f,
}

@vertex
fn vs_surface(v: SurfaceIn) -> SurfaceOut {
  var out: SurfaceOut;
  out.clip = u.viewProjection * vec4f(toWorld(v.position), 1.0);
  out.height = v.position.y;
  out.normal = v.normal;
  return out;
}

@fragment
fn fs_surface(f: SurfaceOut, @builtin(front_facing) front: bool) -> @location(0) vec4f {
  // fwidth needs uniform control flow: take it before anything branches.
  let level = f.height * u.contours;
  let w = max(fwidth(level), 1e-4);
  var n = normalize(f.normal);
  if (!front) {
    n = -n;
  }
  let lambert = max(dot(n, u.lightDir.xyz), 0.0);
  var colour = viridis(f.height) * (0.45 + 0.55 * lambert);
  if (u.contours > 0.0) {
    // Distance to the nearest integer level, in pixels: a line about 1 pixel wide, anti-aliased.
    let d = abs(fract(level + 0.5) - 0.5) / w;
    // Levels 1 … contours − 1 only: the floor and the ceiling are levels too, and a plateau clamped to them
    // (a saturated sigmoid, the log scale's floor) would otherwise turn into one big dark line.
    let inside = step(0.5, level) * step(level, u.contours - 0.5);
    let line = (1.0 - smoothstep(0.5, 1.5, d)) * inside;
    colour = mix(colour, colour * 0.35, line * 0.8);
  }
  return vec4f(colour, 1.0);
}

// ---------------------------------------------------------------------------------------------------------
// Thick line segments and round dots, expanded in screen space.

// Quad corners: x = 0 at the segment's start, 1 at its end; y = the side (−1, 1).
fn corner(i: u32) -> vec2f {
  var corners = array<vec2f, 6>(
    vec2f(0.0, -1.0), vec2f(0.0, 1.0), vec2f(1.0, -1.0),
    vec2f(1.0, -1.0), vec2f(0.0, 1.0), vec2f(1.0, 1.0),
  );
  return corners[i];
}

// NOTE: pulls markers towards the camera by a fraction of the depth range so that a line lying on the
// surface is not half hidden by the triangles it crosses (z-fighting); small enough not to show through hills.
const DEPTH_PULL: f32 = 0.002;

struct LineIn {
  @location(0) a: vec3f,
  @location(1) b: vec3f,
  @location(2) colour: vec4f,
  // Width in CSS pixels.
  @location(3) width: f32,
}

struct FlatOut {
  @builtin(position) clip: vec4f,
  @location(0) colour: vec4f,
  // Position in the quad: (along, across) for lines, (x, y) ∈ [−1, 1]² for dots.
  @location(1) local: vec2f,
}

@vertex
fn vs_line(@builtin(vertex_index) vi: u32, s: LineIn) -> FlatOut {
  let ca = u.viewProjection * vec4f(toWorld(s.a), 1.0);
  let cb = u.viewProjection * vec4f(toWorld(s.b), 1.0);
  let half = u.viewport * 0.5;
  let sa = ca.xy / ca.w * half;
  let sb = cb.xy / cb.w * half;
  var dir = sb - sa;
  let len = length(dir);
  dir = select(vec2f(1.0, 0.0), dir / len, len > 1e-6);
  let across = vec2f(-dir.y, dir.x);
  let k = corner(vi);
  var c = select(ca, cb, k.x > 0.5);
  // Across by half the width, and past each end by half the width (square caps close the joints).
  let offset = across * k.y * s.width * 0.5 + dir * (k.x * 2.0 - 1.0) * s.width * 0.5;
  c = vec4f(c.xy + offset / half * c.w, c.z - DEPTH_PULL * c.w, c.w);
  var out: FlatOut;
  out.clip = c;
  out.colour = s.colour;
  out.local = k;
  return out;
}

@fragment
fn fs_line(f: FlatOut) -> @location(0) vec4f {
  return f.colour;
}

struct DotIn {
  @location(0) centre: vec3f,
  @location(1) colour: vec4f,
  // Radius in CSS pixels.
  @location(2) radius: f32,
}

@vertex
fn vs_dot(@builtin(vertex_index) vi: u32, d: DotIn) -> FlatOut {
  let k = corner(vi);
  let q = vec2f(k.x * 2.0 - 1.0, k.y);
  let c = u.viewProjection * vec4f(toWorld(d.centre), 1.0);
  let half = u.viewport * 0.5;
  var out: FlatOut;
  out.clip = vec4f(c.xy + q * d.radius / half * c.w, c.z, c.w);
  out.colour = d.colour;
  out.local = q;
  return out;
}

@fragment
fn fs_dot(f: FlatOut) -> @location(0) vec4f {
  let r = length(f.local);
  if (r > 1.0) {
    discard;
  }
  // A white ring around the fill keeps the marker visible on every colour of the ramp.
  let ring = smoothstep(0.62, 0.72, r);
  return vec4f(mix(f.colour.rgb, vec3f(1.0), ring), 1.0);
}
