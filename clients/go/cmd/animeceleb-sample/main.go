// Command animeceleb-sample pulls frames from a render server's Sample stream, prints each
// frame's labels and the rate, and writes one frame as a PNG.
//
//	go run ./cmd/animeceleb-sample -addr localhost:50051 -n 100 -seed 1 -out frame.png
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
)

func main() {
	addr := flag.String("addr", "localhost:50051", "server address: host:port, several as host1:port,host2:port (round-robin), or dns:///name:port")
	n := flag.Int("n", 16, "frames to pull (at least 1)")
	seed := flag.Uint64("seed", 0, "seed of the server's draws")
	model := flag.String("model", "", "model id (default: every model)")
	size := flag.Int("size", 256, "frame width and height")
	out := flag.String("out", "frame.png", "PNG file for one frame")
	which := flag.Int("write", 0, "index of the frame to write")
	token := flag.String("token", os.Getenv("ANIMECELEB_TOKEN"), "bearer token, if the server needs one")
	useTLS := flag.Bool("tls", false, "connect over TLS (system roots)")
	flag.Parse()
	if err := run(*addr, *n, *seed, *model, *size, *out, *which, *token, *useTLS); err != nil {
		log.Fatal(err)
	}
}

func run(addr string, n int, seed uint64, model string, size int, out string, which int, token string, useTLS bool) error {
	if n < 1 || which < 0 || which >= n {
		return errors.New("need -n >= 1 and 0 <= -write < -n")
	}
	var opts []animeceleb.Option
	if useTLS {
		opts = append(opts, animeceleb.WithTLS(&tls.Config{MinVersion: tls.VersionTLS12}))
	}
	if token != "" {
		opts = append(opts, animeceleb.WithToken(token))
	}
	c, err := animeceleb.Connect(addr, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	start := time.Now()
	got := 0
	for f, err := range c.Sample(ctx, n, seed, &animeceleb.SampleOptions{ModelID: model, Size: size}) {
		if err != nil {
			return fmt.Errorf("after %d frames: %w", got, err)
		}
		fmt.Printf("%4d %s %v light %.2f yaw %6.2f pitch %6.2f roll %6.2f\n",
			f.Index, f.ModelID, f.Style, f.Light, f.Pose[animeceleb.Yaw], f.Pose[animeceleb.Pitch], f.Pose[animeceleb.Roll])
		if got == which {
			if err := writePNG(out, f); err != nil {
				return err
			}
		}
		got++
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%d frames of %dx%d in %.2f s (%.1f frames/s)\n", got, size, size, secs, float64(got)/secs)
	if got <= which {
		return fmt.Errorf("the stream ended after %d frames, before frame %d", got, which)
	}
	fmt.Printf("frame %d written to %s\n", which, out)
	return nil
}

func writePNG(path string, f *animeceleb.Frame) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(file, f.Image); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}
