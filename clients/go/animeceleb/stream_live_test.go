package animeceleb_test

import (
	"bytes"
	"context"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// distinctPose is pose i of a stream, different for each i in [0, 20).
func distinctPose(i int) animeceleb.Pose {
	var p animeceleb.Pose
	p[12] = float32(i) / 20 // mouth_a
	p[i%12] = 0.5
	p[animeceleb.Yaw] = float32(i) - 10
	p[animeceleb.Pitch] = float32(i%5) * 1.5
	p[animeceleb.Roll] = -float32(i) / 4
	return p
}

func TestRenderStreamKeepsRequestOrder(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	const n, size = 20, 32
	var reqs []animeceleb.RenderRequest
	for i := range n {
		reqs = append(reqs, animeceleb.RenderRequest{
			ModelID: id, Pose: distinctPose(i), Style: animeceleb.StyleMMD + animeceleb.Style(i%4),
			Light: 0.3 + float32(i)/40, Size: size,
		})
	}
	i := 0
	for f, err := range c.RenderStream(testContext(t), slices.Values(reqs)) {
		if err != nil {
			t.Fatalf("after %d frames: %v", i, err)
		}
		r := reqs[i]
		if f.Index != uint64(i) || f.ModelID != id || f.Pose != r.Pose || f.Style != r.Style || f.Light != r.Light {
			t.Fatalf("frame %d: index %d model %q pose %v style %v light %v; want the labels of %+v",
				i, f.Index, f.ModelID, f.Pose, f.Style, f.Light, r)
		}
		checkImage(t, f, size)
		i++
	}
	if i != n {
		t.Fatalf("%d frames for %d requests", i, n)
	}
}

// endless yields requests until told to stop, counting them; stopped closes when it returns.
func endless(id string, sent *int, stopped chan<- struct{}) iter.Seq[animeceleb.RenderRequest] {
	return func(yield func(animeceleb.RenderRequest) bool) {
		defer close(stopped)
		for i := 0; ; i++ {
			if !yield(animeceleb.RenderRequest{ModelID: id, Pose: distinctPose(i % 20), Size: 32}) {
				return
			}
			*sent = i + 1
		}
	}
}

func TestRenderStreamBreakCancelsTheCall(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c) // the connection is up: its goroutines count in the baseline
	baseline := runtime.NumGoroutine()
	sent, stopped := 0, make(chan struct{})
	got := 0
	for f, err := range c.RenderStream(testContext(t), endless(id, &sent, stopped)) {
		if err != nil {
			t.Fatal(err)
		}
		if f.Index != uint64(got) || f.Pose != distinctPose(got) {
			t.Fatalf("frame %d: index %d pose %v", got, f.Index, f.Pose)
		}
		if got++; got == 3 {
			break
		}
	}
	// The sender stops at its next yield: an endless sequence ends only this way, and it was
	// read no further than the window ahead of the 3 frames taken.
	select {
	case <-stopped:
	case <-time.After(time.Minute):
		t.Fatal("the request sequence was never told to stop")
	}
	if sent > 3+animeceleb.StreamWindow {
		t.Fatalf("%d requests sent for 3 frames, want at most %d", sent, 3+animeceleb.StreamWindow)
	}
	// gRPC's own goroutines for the call wind down after the cancel.
	for deadline := time.Now().Add(30 * time.Second); runtime.NumGoroutine() > baseline; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after the break, %d before:\n%s",
				runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The server is free for the next call.
	if _, err := c.Render(testContext(t), id, animeceleb.Pose{}, animeceleb.StyleFlat, 0.6, 32); err != nil {
		t.Fatalf("render after the cancelled stream: %v", err)
	}
}

func TestRenderStreamUnknownModelMidStream(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	reqs := []animeceleb.RenderRequest{
		{ModelID: id, Size: 32}, {ModelID: id, Pose: distinctPose(1), Size: 32},
		{ModelID: "no-such-model", Size: 32}, {ModelID: id, Size: 32},
	}
	frames := 0
	var last error
	for f, err := range c.RenderStream(testContext(t), slices.Values(reqs)) {
		if err != nil {
			last = err
			break
		}
		if f.Pose != reqs[frames].Pose {
			t.Fatalf("frame %d: pose %v", frames, f.Pose)
		}
		frames++
	}
	// The frames of the requests before the bad one, then its status.
	if frames != 2 || status.Code(last) != codes.NotFound || !strings.Contains(status.Convert(last).Message(), "no-such-model") {
		t.Fatalf("%d frames then %v; want 2 frames then NOT_FOUND naming the model", frames, last)
	}
}

func TestRenderStreamBadRequestEndsTheStream(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	reqs := []animeceleb.RenderRequest{{ModelID: id, Size: 32}, {ModelID: id, Size: -1}, {ModelID: id, Size: 32}}
	frames := 0
	var last error
	for _, err := range c.RenderStream(testContext(t), slices.Values(reqs)) {
		if err != nil {
			last = err
			break
		}
		frames++
	}
	// Request 1 is never sent; request 0's frame may or may not have come back before.
	if frames > 1 || last == nil || last.Error() != "animeceleb: negative size (request 1)" {
		t.Fatalf("%d frames then %v; want at most 1 then the negative size of request 1", frames, last)
	}
}

// encodings records the encoding of every frame as it arrives, before the wrapper decodes it.
type encodings struct {
	mu   sync.Mutex
	seen []animeceleb.Encoding
}

func (e *encodings) record(m any) {
	if f, ok := m.(*pb.Frame); ok {
		e.mu.Lock()
		e.seen = append(e.seen, f.Encoding)
		e.mu.Unlock()
	}
}

type recordingStream struct {
	grpc.ClientStream
	e *encodings
}

func (r recordingStream) RecvMsg(m any) error {
	err := r.ClientStream.RecvMsg(m)
	if err == nil {
		r.e.record(m)
	}
	return err
}

func (e *encodings) option() animeceleb.Option {
	return animeceleb.WithDialOptions(
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any,
			cc *grpc.ClientConn, invoke grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			err := invoke(ctx, method, req, reply, cc, opts...)
			if err == nil {
				e.record(reply)
			}
			return err
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn,
			method string, stream grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			s, err := stream(ctx, desc, cc, method, opts...)
			return recordingStream{s, e}, err
		}))
}

// PNG frames decode to the pixels of the raw frame of the same request, on every call.
func TestPNGFramesDecodeToTheRawPixels(t *testing.T) {
	_, s := connect(t)
	var wire encodings
	c, err := animeceleb.Connect(s.addr, wire.option())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pngClient, err := animeceleb.Connect(s.addr, wire.option(), animeceleb.WithEncoding(animeceleb.EncodingPNG))
	if err != nil {
		t.Fatal(err)
	}
	defer pngClient.Close()
	id := onlyModel(t, c)
	ctx := testContext(t)
	pose := distinctPose(7)
	raw, err := c.Render(ctx, id, pose, animeceleb.StyleSoft, 0.8, 48)
	if err != nil {
		t.Fatal(err)
	}
	checkImage(t, raw, 48)
	viaPNG, err := pngClient.Render(ctx, id, pose, animeceleb.StyleSoft, 0.8, 48)
	if err != nil {
		t.Fatal(err)
	}
	if viaPNG.Image.Rect != raw.Image.Rect || !bytes.Equal(viaPNG.Image.Pix, raw.Image.Pix) {
		t.Fatal("Render: the PNG frame differs from the raw one")
	}

	// Per request in one stream, overriding the client's default either way.
	r := animeceleb.RenderRequest{ModelID: id, Pose: pose, Style: animeceleb.StyleSoft, Light: 0.8, Size: 48}
	pngReq, rawReq := r, r
	pngReq.Encoding, rawReq.Encoding = animeceleb.EncodingPNG, animeceleb.EncodingRaw
	var pix [][]byte
	for f, err := range pngClient.RenderStream(ctx, slices.Values([]animeceleb.RenderRequest{pngReq, rawReq})) {
		if err != nil {
			t.Fatal(err)
		}
		pix = append(pix, f.Image.Pix)
	}
	if len(pix) != 2 || !bytes.Equal(pix[0], raw.Image.Pix) || !bytes.Equal(pix[1], raw.Image.Pix) {
		t.Fatalf("RenderStream: %d frames, or a PNG frame differs from the raw one", len(pix))
	}

	// Sample: the same seed gives the same draws, so the same pixels in either encoding.
	draw := func(enc animeceleb.Encoding) [][]byte {
		var out [][]byte
		for f, err := range c.Sample(ctx, 2, 99, &animeceleb.SampleOptions{Size: 32, Encoding: enc}) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f.Image.Pix)
		}
		return out
	}
	if a, b := draw(animeceleb.EncodingRaw), draw(animeceleb.EncodingPNG); len(a) != 2 || !slices.EqualFunc(a, b, bytes.Equal) {
		t.Fatal("Sample: PNG frames differ from the raw ones")
	}
	asRaw, asPNG := animeceleb.EncodingRaw, animeceleb.EncodingPNG
	if want := []animeceleb.Encoding{asRaw, asPNG, asPNG, asRaw, asRaw, asRaw, asPNG, asPNG}; !slices.Equal(wire.seen, want) {
		t.Fatalf("frames arrived as %v, want %v", wire.seen, want)
	}
}

func TestRenderStreamStopsWhenCtxIsCancelled(t *testing.T) {
	c, _ := connect(t)
	id := onlyModel(t, c)
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	sent, stopped := 0, make(chan struct{})
	frames := 0
	var last error
	for _, err := range c.RenderStream(ctx, endless(id, &sent, stopped)) {
		if err != nil {
			last = err
			break
		}
		frames++
		cancel()
	}
	// Frames already received may still come out before the status (grpc-go picks either),
	// but the endless stream ends, CANCELED, and its source is told to stop.
	if frames == 0 || status.Code(last) != codes.Canceled {
		t.Fatalf("%d frames then %v; want CANCELED after the first", frames, last)
	}
	<-stopped
}
