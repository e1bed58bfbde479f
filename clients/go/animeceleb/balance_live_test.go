package animeceleb_test

import (
	"context"
	"errors"
	"iter"
	"sync"
	"testing"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// peers records, for every unary call, the address of the server that answered it (the
// transport's remote address: each test server listens on its own port).
type peers struct {
	mu   sync.Mutex
	list []string
}

func (p *peers) interceptor(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoke grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	var who peer.Peer
	err := invoke(ctx, method, req, reply, cc, append(opts, grpc.Peer(&who))...)
	if err == nil {
		p.mu.Lock()
		p.list = append(p.list, who.Addr.String())
		p.mu.Unlock()
	}
	return err
}

// next2 is the next frame of a pulled stream, or why there is none.
func next2(next func() (*animeceleb.Frame, error, bool)) (*animeceleb.Frame, error) {
	f, err, ok := next()
	if !ok {
		return nil, errors.New("the stream ended")
	}
	return f, err
}

func (p *peers) last() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.list[len(p.list)-1]
}

// One client over two servers ("a,b"): renders go round-robin to both, and when one server
// stops every call is still served, by the other.
func TestRoundRobinOverTwoServers(t *testing.T) {
	_, a := connect(t)
	// b holds one stream at most: its own count then tells where streams went.
	b, err := startServer("--max-streams", "1")
	if err != nil {
		t.Fatalf("starting the second server: %v", err)
	}
	var stopB sync.Once
	t.Cleanup(func() { stopB.Do(b.stop) })

	var served peers
	c, err := animeceleb.Connect(a.addr+","+b.addr,
		animeceleb.WithDialOptions(grpc.WithChainUnaryInterceptor(served.interceptor)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if want := "animeceleb-list:///" + a.addr + "," + b.addr; c.Target() != want {
		t.Fatalf("target %q, want %q", c.Target(), want)
	}
	ctx := testContext(t)
	model := onlyModel(t, c)
	const size = 32
	render := func() string {
		t.Helper()
		f, err := c.Render(ctx, model, animeceleb.Pose{}, animeceleb.StyleFlat, 0.6, size)
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, f, size)
		return served.last()
	}

	// round_robin picks among the servers connected so far: both, once both are up.
	seen := map[string]int{}
	for calls := 0; calls < 40 && len(seen) < 2; calls++ {
		seen[render()]++
	}
	if seen[a.addr] == 0 || seen[b.addr] == 0 || len(seen) != 2 {
		t.Fatalf("calls served by %v, want both %s and %s", seen, a.addr, b.addr)
	}
	// Both connected: consecutive calls alternate between them.
	prev := render()
	for range 6 {
		next := render()
		if next == prev {
			t.Fatalf("two calls in a row served by %s: not round-robin", next)
		}
		prev = next
	}

	// Two streams opened one after the other go one to each server: both are taken, and b,
	// which holds one at most, is full (a third stream straight to b is refused).
	opts := &animeceleb.SampleOptions{Size: size}
	var streams []func()
	defer func() {
		for _, stop := range streams {
			stop()
		}
	}()
	for seed := range uint64(2) {
		next, stop := iter.Pull2(c.Sample(ctx, 0, seed, opts))
		streams = append(streams, stop)
		if _, err := next2(next); err != nil {
			t.Fatalf("stream %d: %v", seed, err)
		}
	}
	direct, err := animeceleb.Connect(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	for _, err := range direct.Sample(ctx, 1, 0, opts) {
		if status.Code(err) != codes.ResourceExhausted {
			t.Fatalf("a third stream, straight to %s: %v, want RESOURCE_EXHAUSTED", b.addr, err)
		}
	}
	for _, stop := range streams {
		stop() // cancels the stream, so b's shutdown below has no call in flight to wait for
	}
	streams = nil

	// One server goes away: calls go on, all served by the other.
	stopB.Do(b.stop)
	for i := range 6 {
		if who := render(); who != a.addr {
			t.Fatalf("call %d after %s stopped served by %s, want %s", i, b.addr, who, a.addr)
		}
	}
	n := 0
	for f, err := range c.Sample(ctx, 4, 7, opts) {
		if err != nil {
			t.Fatalf("sample after one server stopped: %v", err)
		}
		checkImage(t, f, size)
		n++
	}
	if n != 4 {
		t.Fatalf("%d sampled frames, want 4", n)
	}
}
