package animeceleb

import (
	"context"
	"errors"
	"io"
	"iter"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
)

// SampleOptions narrows what Sample draws; the zero value (or nil) means every model, all
// four styles, single frames, 256x256, the rotated partition.
type SampleOptions struct {
	ModelID   string
	Styles    []Style
	Pairs     bool // (source, driving) pairs of one model and style; a pair counts as two frames
	Size      int
	Partition Partition
	Encoding  Encoding // EncodingDefault: the client's (WithEncoding)
}

// Sample streams count frames whose poses, models, styles and lights the server draws with the
// dataset policy from seed (the same seed and options give the same draws). count 0 streams
// until the loop stops. Leaving the loop early cancels the stream; an error ends it and is
// yielded once with a nil frame.
//
//	for f, err := range c.Sample(ctx, 50, 1, nil) {
//		if err != nil { return err }
//		use(f.Image, f.Pose)
//	}
func (c *Client) Sample(ctx context.Context, count int, seed uint64, opts *SampleOptions) iter.Seq2[*Frame, error] {
	return func(yield func(*Frame, error) bool) {
		if opts == nil {
			opts = &SampleOptions{}
		}
		if count < 0 || opts.Size < 0 {
			yield(nil, errors.New("animeceleb: negative count or size"))
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.rpc.Sample(ctx, &pb.SampleRequest{
			Seed:      seed,
			ModelId:   opts.ModelID,
			Count:     uint32(count),
			Styles:    opts.Styles,
			Pairs:     opts.Pairs,
			Size:      uint32(opts.Size),
			Encoding:  c.encodingOr(opts.Encoding),
			Partition: opts.Partition,
		})
		if err != nil {
			yield(nil, err)
			return
		}
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			f, err := decodeFrame(m)
			if !yield(f, err) || err != nil {
				return
			}
		}
	}
}
