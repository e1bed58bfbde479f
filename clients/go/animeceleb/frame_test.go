package animeceleb

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
)

func wireFrame(w, h int, img []byte) *pb.Frame {
	pose := make([]float32, PoseSize)
	pose[Yaw] = 12.5
	return &pb.Frame{ModelId: "m", Pose: pose, Width: uint32(w), Height: uint32(h), Image: img, Index: 3}
}

func TestDecodeRawKeepsBytesAndStraightAlpha(t *testing.T) {
	raw := []byte{10, 20, 30, 40, 0, 0, 0, 0, 1, 2, 3, 255, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	f, err := decodeFrame(wireFrame(3, 2, raw))
	if err != nil {
		t.Fatal(err)
	}
	if f.Image.Rect != image.Rect(0, 0, 3, 2) || !bytes.Equal(f.Image.Pix, raw) {
		t.Fatalf("image %v %v", f.Image.Rect, f.Image.Pix)
	}
	// Straight alpha: colour channels are not scaled by alpha.
	if got := f.Image.NRGBAAt(0, 0); got != (color.NRGBA{10, 20, 30, 40}) {
		t.Fatalf("pixel (0,0) = %v", got)
	}
	if f.Pose[Yaw] != 12.5 || f.Index != 3 || f.ModelID != "m" {
		t.Fatalf("labels %+v", f)
	}
}

func TestDecodeRejectsWrongByteCountAndPose(t *testing.T) {
	if _, err := decodeFrame(wireFrame(3, 2, make([]byte, 23))); !errors.Is(err, ErrMalformedFrame) {
		t.Fatalf("short image: %v", err)
	}
	m := wireFrame(1, 1, make([]byte, 4))
	m.Pose = m.Pose[:19]
	if _, err := decodeFrame(m); !errors.Is(err, ErrMalformedFrame) {
		t.Fatalf("short pose: %v", err)
	}
	if _, err := decodeFrame(wireFrame(0, 0, nil)); !errors.Is(err, ErrMalformedFrame) {
		t.Fatalf("empty size: %v", err)
	}
}

func TestDecodePNG(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	src.SetNRGBA(2, 1, color.NRGBA{200, 100, 50, 128})
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	m := wireFrame(4, 3, buf.Bytes())
	m.Encoding = pb.ImageEncoding_IMAGE_ENCODING_PNG
	f, err := decodeFrame(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Image.Pix, src.Pix) {
		t.Fatalf("PNG round trip changed pixels")
	}
	m.Width = 5
	if _, err := decodeFrame(m); !errors.Is(err, ErrMalformedFrame) {
		t.Fatalf("PNG of the wrong size: %v", err)
	}
}

func TestTokenNeedsTLSBeyondLoopback(t *testing.T) {
	if _, err := Connect("render.example.com:50051", WithToken("x")); err == nil {
		t.Fatal("token in clear text to a remote host was accepted")
	}
	for _, addr := range []string{"127.0.0.1:50051", "localhost:1", "[::1]:2"} {
		c, err := Connect(addr, WithToken("x"))
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		c.Close()
	}
}

func TestEncodingDefaults(t *testing.T) {
	plain, err := Connect("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	png, err := Connect("127.0.0.1:1", WithEncoding(EncodingPNG))
	if err != nil {
		t.Fatal(err)
	}
	defer png.Close()
	for _, tc := range []struct {
		c    *Client
		req  Encoding
		want Encoding
	}{
		{plain, EncodingDefault, EncodingRaw},
		{plain, EncodingPNG, EncodingPNG},
		{png, EncodingDefault, EncodingPNG},
		{png, EncodingRaw, EncodingRaw},
	} {
		m, err := tc.c.message(RenderRequest{Encoding: tc.req})
		if err != nil || m.Encoding != tc.want {
			t.Fatalf("client default %v, request %v: %v %v, want %v", tc.c.encoding, tc.req, m.GetEncoding(), err, tc.want)
		}
	}
	if _, err := plain.message(RenderRequest{Size: -1}); err == nil {
		t.Fatal("negative size accepted")
	}
}
