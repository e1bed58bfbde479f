package animeceleb_test

import (
	"context"
	"crypto/sha256"
	"image"
	"slices"
	"testing"
	"time"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// onlyModel lists the server's models and returns the id of the one it must have.
func onlyModel(t *testing.T, c *animeceleb.Client) string {
	t.Helper()
	models, err := c.ListModels(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != 1 {
		t.Fatalf("%d models, want the one sample character", len(models))
	}
	return models[0].Id
}

// checkImage checks a frame's image is size x size with a foreground and a transparent
// background.
func checkImage(t *testing.T, f *animeceleb.Frame, size int) {
	t.Helper()
	if f.Image.Rect != image.Rect(0, 0, size, size) || len(f.Image.Pix) != size*size*4 {
		t.Fatalf("frame %d: image %v with %d bytes, want %dx%d RGBA", f.Index, f.Image.Rect, len(f.Image.Pix), size, size)
	}
	opaque, clear := 0, 0
	for i := 3; i < len(f.Image.Pix); i += 4 {
		switch f.Image.Pix[i] {
		case 255:
			opaque++
		case 0:
			clear++
		}
	}
	if opaque < size*size/20 || clear < size*size/20 {
		t.Fatalf("frame %d: %d opaque and %d transparent pixels of %d: no face on a clear background",
			f.Index, opaque, clear, size*size)
	}
}

func TestListAndDescribe(t *testing.T) {
	c, s := connect(t)
	ctx := testContext(t)
	models, err := c.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != 1 {
		t.Fatalf("%d models, want 1", len(models))
	}
	m := models[0]
	if m.Id == "" || m.Name != s.model.Name || m.NameEn != s.model.NameEn ||
		m.VertexCount != s.model.VertexCount || m.FaceCount != s.model.FaceCount {
		t.Fatalf("summary %v, want %+v", m, s.model)
	}
	if !slices.Equal(m.TargetMorphs, s.model.TargetMorphs) {
		t.Fatalf("target morphs %v, want %v", m.TargetMorphs, s.model.TargetMorphs)
	}
	d, err := c.Describe(ctx, m.Id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Summary.GetId() != m.Id || d.Format != "pmx" || d.BoneCount == 0 || d.MorphCount == 0 {
		t.Fatalf("description %v", d)
	}
	// The annotation maps exactly the realised targets to the model's own morphs.
	var targets []string
	for target, source := range d.Annotation {
		if source == "" {
			t.Fatalf("target %s has an empty source", target)
		}
		targets = append(targets, target)
	}
	slices.Sort(targets)
	want := slices.Sorted(slices.Values(s.model.TargetMorphs))
	if !slices.Equal(targets, want) {
		t.Fatalf("annotated targets %v, want %v", targets, want)
	}
}

func TestRenderEchoesPoseAndSize(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	var pose animeceleb.Pose
	pose[0] = 0.75 // eye_close_right
	pose[12] = 0.5 // mouth_a
	pose[animeceleb.Yaw] = 12.5
	pose[animeceleb.Pitch] = -7
	pose[animeceleb.Roll] = 3.25
	f, err := c.Render(testContext(t), id, pose, animeceleb.StyleCel, 0.7, 96)
	if err != nil {
		t.Fatal(err)
	}
	if f.ModelID != id || f.Pose != pose || f.Style != animeceleb.StyleCel || f.Light != 0.7 || f.Index != 0 {
		t.Fatalf("frame labels %+v, want model %s pose %v CEL light 0.7", f, id, pose)
	}
	checkImage(t, f, 96)

	// Zero size, light and style are the server's defaults: 256, 0.6, MMD.
	f, err = c.Render(testContext(t), id, animeceleb.Pose{}, animeceleb.StyleDefault, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Style != animeceleb.StyleMMD || f.Light != 0.6 || f.Pose != (animeceleb.Pose{}) {
		t.Fatalf("default frame labels %+v", f)
	}
	checkImage(t, f, 256)
}

func TestSampleFiftyDistinctValidFrames(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	const n, size = 50, 64
	poses := map[animeceleb.Pose]bool{}
	images := map[[32]byte]bool{}
	i := 0
	for f, err := range c.Sample(testContext(t), n, 2024, &animeceleb.SampleOptions{Size: size}) {
		if err != nil {
			t.Fatalf("after %d frames: %v", i, err)
		}
		if f.Index != uint64(i) || f.ModelID != id || f.Role != animeceleb.RoleNone {
			t.Fatalf("frame %d: index %d model %q role %v", i, f.Index, f.ModelID, f.Role)
		}
		if f.Style < animeceleb.StyleMMD || f.Style > animeceleb.StyleSoft || f.Light < 0.3 || f.Light > 0.9 {
			t.Fatalf("frame %d: style %v light %v", i, f.Style, f.Light)
		}
		for j, v := range f.Pose {
			lo, hi := float32(0), float32(1)
			if j >= animeceleb.Yaw {
				lo, hi = -20, 20
			}
			if v < lo || v > hi {
				t.Fatalf("frame %d: %s = %v outside [%v, %v]", i, animeceleb.PoseLayout[j], v, lo, hi)
			}
		}
		checkImage(t, f, size)
		poses[f.Pose] = true
		images[sha256.Sum256(f.Image.Pix)] = true
		i++
	}
	if i != n || len(poses) != n || len(images) != n {
		t.Fatalf("%d frames, %d distinct poses, %d distinct images; want %d of each", i, len(poses), len(images), n)
	}
}

func TestSampleIsSeededAndStopsWhenTheLoopDoes(t *testing.T) {
	c, _ := connect(t)
	draws := func(seed uint64) []animeceleb.Pose {
		var out []animeceleb.Pose
		// count 0 streams until the client stops: leaving the loop must cancel the stream.
		for f, err := range c.Sample(testContext(t), 0, seed, &animeceleb.SampleOptions{Size: 32}) {
			if err != nil {
				t.Fatal(err)
			}
			if out = append(out, f.Pose); len(out) == 3 {
				break
			}
		}
		return out
	}
	a, b, other := draws(7), draws(7), draws(8)
	if len(a) != 3 || !slices.Equal(a, b) {
		t.Fatalf("seed 7 gave %v then %v", a, b)
	}
	if slices.Equal(a, other) {
		t.Fatalf("seeds 7 and 8 gave the same poses %v", a)
	}
}

func TestUnknownModelIsNotFound(t *testing.T) {
	c, _ := connect(t)
	ctx := testContext(t)
	const bad = "no-such-model"
	_, err := c.Describe(ctx, bad)
	if status.Code(err) != codes.NotFound {
		t.Fatalf("Describe: %v, want NOT_FOUND", err)
	}
	_, err = c.Render(ctx, bad, animeceleb.Pose{}, animeceleb.StyleMMD, 0.6, 32)
	if status.Code(err) != codes.NotFound {
		t.Fatalf("Render: %v, want NOT_FOUND", err)
	}
	frames := 0
	for _, err := range c.Sample(ctx, 5, 1, &animeceleb.SampleOptions{ModelID: bad, Size: 32}) {
		if err == nil {
			frames++
		} else if status.Code(err) != codes.NotFound {
			t.Fatalf("Sample: %v, want NOT_FOUND", err)
		} else if frames != 0 {
			t.Fatalf("Sample sent %d frames before NOT_FOUND", frames)
		} else {
			frames = -1
		}
	}
	if frames != -1 {
		t.Fatalf("Sample of an unknown model ended without NOT_FOUND (%d frames)", frames)
	}
}

func TestOutOfRangeIsInvalidArgument(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	var pose animeceleb.Pose
	pose[animeceleb.Yaw] = 120
	if _, err := c.Render(testContext(t), id, pose, animeceleb.StyleMMD, 0.6, 32); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("yaw 120: %v, want INVALID_ARGUMENT", err)
	}
	if _, err := c.Render(testContext(t), id, animeceleb.Pose{}, animeceleb.StyleMMD, 5, 32); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("light 5: %v, want INVALID_ARGUMENT", err)
	}
}

func TestSampleOptionsReachTheServer(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	opts := &animeceleb.SampleOptions{
		ModelID: id, Styles: []animeceleb.Style{animeceleb.StyleFlat}, Pairs: true,
		Size: 32, Partition: animeceleb.PartitionFrontal,
	}
	var frames []*animeceleb.Frame
	for f, err := range c.Sample(testContext(t), 4, 5, opts) {
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	if len(frames) != 4 {
		t.Fatalf("%d frames, want 4 (two pairs)", len(frames))
	}
	for i, f := range frames {
		wantRole := animeceleb.RoleSource
		if i%2 == 1 {
			wantRole = animeceleb.RoleDriving
		}
		if f.Role != wantRole || f.Style != animeceleb.StyleFlat || f.Image.Rect.Dx() != 32 {
			t.Fatalf("frame %d: role %v style %v width %d", i, f.Role, f.Style, f.Image.Rect.Dx())
		}
		if f.Pose[animeceleb.Yaw] != 0 || f.Pose[animeceleb.Pitch] != 0 || f.Pose[animeceleb.Roll] != 0 {
			t.Fatalf("frame %d: frontal partition with head angles %v", i, f.Pose[animeceleb.Yaw:])
		}
	}
	if frames[0].PairID != frames[1].PairID || frames[2].PairID != frames[3].PairID || frames[0].PairID == frames[2].PairID {
		t.Fatalf("pair ids %d %d %d %d", frames[0].PairID, frames[1].PairID, frames[2].PairID, frames[3].PairID)
	}
}
