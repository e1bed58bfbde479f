package animeceleb

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
)

// ErrMalformedFrame is wrapped by the error for a frame whose image or pose does not match
// its own header (a server bug or a proxy that altered the message).
var ErrMalformedFrame = errors.New("animeceleb: malformed frame")

// Frame is one rendered image with the labels it was rendered with.
type Frame struct {
	ModelID string
	Pose    Pose
	Style   Style
	Light   float32
	// Image is RGBA with straight alpha; the background is transparent, so alpha is the
	// foreground mask. Its Pix is the raw width*height*4 bytes the server sent.
	Image *image.NRGBA
	// Index is the frame's position in its stream, from 0.
	Index uint64
	// PairID and Role tie together the source and driving frames of a pair.
	PairID uint64
	Role   PairRole
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedFrame, fmt.Sprintf(format, args...))
}

// decodeFrame checks a wire frame against its own header and converts it.
func decodeFrame(m *pb.Frame) (*Frame, error) {
	if len(m.Pose) != PoseSize {
		return nil, malformed("pose has %d numbers, want %d", len(m.Pose), PoseSize)
	}
	w, h := int(m.Width), int(m.Height)
	if w <= 0 || h <= 0 {
		return nil, malformed("size %dx%d", w, h)
	}
	img, err := decodeImage(m.Encoding, m.Image, w, h)
	if err != nil {
		return nil, err
	}
	f := &Frame{
		ModelID: m.ModelId,
		Style:   m.Style,
		Light:   m.Light,
		Image:   img,
		Index:   m.Index,
		PairID:  m.PairId,
		Role:    m.Role,
	}
	copy(f.Pose[:], m.Pose)
	return f, nil
}

func decodeImage(enc pb.ImageEncoding, data []byte, w, h int) (*image.NRGBA, error) {
	switch enc {
	case pb.ImageEncoding_IMAGE_ENCODING_UNSPECIFIED, pb.ImageEncoding_IMAGE_ENCODING_RAW_RGBA:
		if len(data) != w*h*4 {
			return nil, malformed("%d image bytes for %dx%d RGBA, want %d", len(data), w, h, w*h*4)
		}
		return &image.NRGBA{Pix: data, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, nil
	case pb.ImageEncoding_IMAGE_ENCODING_PNG:
		decoded, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, malformed("PNG: %v", err)
		}
		if b := decoded.Bounds(); b.Dx() != w || b.Dy() != h {
			return nil, malformed("PNG is %dx%d, header says %dx%d", b.Dx(), b.Dy(), w, h)
		}
		if n, ok := decoded.(*image.NRGBA); ok {
			return n, nil
		}
		n := image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.Draw(n, n.Rect, decoded, decoded.Bounds().Min, draw.Src)
		return n, nil
	default:
		return nil, malformed("unknown image encoding %v", enc)
	}
}
