package animeceleb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
)

// RenderRequest is one frame to render: Render's arguments, for RenderStream. Zero Light,
// Size and Style mean the server's defaults (0.6, 256, MMD); zero Encoding the client's.
type RenderRequest struct {
	ModelID  string
	Pose     Pose
	Style    Style
	Light    float32
	Size     int
	Encoding Encoding
}

// message is r on the wire, with the client's default encoding filled in.
func (c *Client) message(r RenderRequest) (*pb.RenderRequest, error) {
	if r.Size < 0 {
		return nil, errors.New("animeceleb: negative size")
	}
	return &pb.RenderRequest{
		ModelId:  r.ModelID,
		Pose:     r.Pose[:],
		Style:    r.Style,
		Light:    r.Light,
		Size:     uint32(r.Size),
		Encoding: c.encodingOr(r.Encoding),
	}, nil
}

// StreamWindow is how many requests RenderStream sends ahead of the frames received: enough
// to keep the server's own window (twice its batch, 16 by default) full across a round trip,
// few enough that a live request source is read at the pace the loop takes frames, not as
// far as gRPC's transport buffers (megabytes) would allow.
const StreamWindow = 64

// badRequest is the cause the sending goroutine cancels the call with when a request cannot
// be sent; the loop reports it in place of the CANCELED status that follows.
type badRequest struct{ err error }

func (b badRequest) Error() string { return b.err.Error() }

// RenderStream renders requests on one streaming call and yields their frames in request
// order, one per request (Frame.Index counts from 0). It is Render for many frames without a
// round trip each, and an endless requests sequence is fine: requests is read on a goroutine
// of its own, concurrently with the loop body, at most StreamWindow requests ahead of the
// frames the loop has taken. Leaving the loop early (or cancelling ctx) cancels the call: the
// server stops rendering it, and requests is told to stop at its next yield (which returns
// false). An error ends the stream and is yielded once with a nil frame: a server status
// (NOT_FOUND for an unknown model id, after the frames of the requests before it), or a
// request that cannot be sent (a negative size).
//
//	reqs := func(yield func(animeceleb.RenderRequest) bool) {
//		for i := range 100 {
//			var p animeceleb.Pose
//			p[animeceleb.Yaw] = float32(i%41 - 20)
//			if !yield(animeceleb.RenderRequest{ModelID: id, Pose: p}) { return }
//		}
//	}
//	for f, err := range c.RenderStream(ctx, reqs) { ... }
func (c *Client) RenderStream(ctx context.Context, requests iter.Seq[RenderRequest]) iter.Seq2[*Frame, error] {
	return func(yield func(*Frame, error) bool) {
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		stream, err := c.rpc.RenderStream(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		// One slot per request sent and not yet answered.
		slots := make(chan struct{}, StreamWindow)
		go func() {
			i := 0
			for r := range requests {
				m, err := c.message(r)
				if err != nil {
					cancel(badRequest{fmt.Errorf("%w (request %d)", err, i)})
					return
				}
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				// Send blocks while the server's window is full and fails once the call has
				// ended; the loop then learns why from Recv.
				if stream.Send(m) != nil {
					return
				}
				i++
			}
			_ = stream.CloseSend()
		}()
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var bad badRequest
				if errors.As(context.Cause(ctx), &bad) {
					err = bad.err
				}
				yield(nil, err)
				return
			}
			select {
			case <-slots:
			default: // a frame nobody asked for: decodeFrame or the caller will notice
			}
			f, err := decodeFrame(m)
			if !yield(f, err) || err != nil {
				return
			}
		}
	}
}
