package animeceleb

import (
	"context"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestAddressListsAndTargets(t *testing.T) {
	for _, tc := range []struct {
		addr string
		list []string // nil: a target passed to gRPC as it is
	}{
		{"localhost:50051", nil},
		{"10.0.0.5:50051,10.0.0.6:50051", []string{"10.0.0.5:50051", "10.0.0.6:50051"}},
		{"a.example:1, [::1]:2,b:3", []string{"a.example:1", "[::1]:2", "b:3"}},
		{"dns:///animeceleb-render.default.svc.cluster.local:50051", nil},
		{"ipv4:10.0.0.5:50051,10.0.0.6:50051", nil},
		{"a:1,b", nil},
		{"a:1,b:http", nil},
		{"a:1,:2", nil},
	} {
		if got := splitList(tc.addr); !slices.Equal(got, tc.list) {
			t.Errorf("splitList(%q) = %q, want %q", tc.addr, got, tc.list)
		}
		c, err := Connect(tc.addr)
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		want := tc.addr
		if tc.list != nil {
			want = "animeceleb-list:///" + tc.addr
		}
		if c.Target() != want {
			t.Errorf("Connect(%q).Target() = %q, want %q", tc.addr, c.Target(), want)
		}
		c.Close()
	}
}

func TestTokenToAListNeedsEveryAddressLoopback(t *testing.T) {
	if _, err := Connect("127.0.0.1:1,render.example.com:2", WithToken("x")); err == nil {
		t.Fatal("token in clear text to a list with a remote host was accepted")
	}
	if _, err := Connect("dns:///localhost:1", WithToken("x")); err == nil {
		t.Fatal("token in clear text to a resolver target was accepted")
	}
	c, err := Connect("127.0.0.1:1,localhost:2,[::1]:3", WithToken("x"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// flaky is a RenderService whose ListModels answers code to its first fail calls, then a model.
type flaky struct {
	pb.UnimplementedRenderServiceServer
	code  codes.Code
	fail  int32
	calls atomic.Int32
}

func (f *flaky) ListModels(context.Context, *pb.ListModelsRequest) (*pb.ListModelsResponse, error) {
	if f.calls.Add(1) <= f.fail {
		return nil, status.Error(f.code, "not now")
	}
	return &pb.ListModelsResponse{Models: []*pb.ModelSummary{{Id: "m"}}}, nil
}

func serveFlaky(t *testing.T, f *flaky) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	pb.RegisterRenderServiceServer(s, f)
	go s.Serve(l)
	t.Cleanup(s.Stop)
	return l.Addr().String()
}

// The retry policy: UNAVAILABLE is tried again, up to 4 attempts in all, on the next server of
// a list when there is one; other codes are not.
func TestRetriesUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, tc := range []struct {
		code      codes.Code
		fail      int32
		want      codes.Code
		wantCalls int32
	}{
		{codes.Unavailable, 3, codes.OK, 4},
		{codes.Unavailable, 9, codes.Unavailable, 4},
		{codes.NotFound, 9, codes.NotFound, 1},
	} {
		f := &flaky{code: tc.code, fail: tc.fail}
		c, err := Connect(serveFlaky(t, f))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListModels(ctx)
		c.Close()
		if status.Code(err) != tc.want || f.calls.Load() != tc.wantCalls {
			t.Errorf("%v for the first %d calls: %v after %d calls, want %v after %d", tc.code, tc.fail, err, f.calls.Load(), tc.want, tc.wantCalls)
		}
	}

	// A list with a server that is never available: every call is still served, by the other.
	down := &flaky{code: codes.Unavailable, fail: 1 << 30}
	up := &flaky{}
	c, err := Connect(serveFlaky(t, down) + "," + serveFlaky(t, up))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 8 {
		if _, err := c.ListModels(ctx); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if up.calls.Load() != 8 || down.calls.Load() == 0 {
		t.Fatalf("the good server took %d calls, the unavailable one %d; want 8 and some", up.calls.Load(), down.calls.Load())
	}
}
