package animeceleb

import (
	"slices"
	"testing"
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
