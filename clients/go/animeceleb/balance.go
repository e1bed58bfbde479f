package animeceleb

import (
	"net"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
)

// serviceConfig balances calls round-robin over every address the target gives (a list, or a
// dns:/// name with several addresses such as a Kubernetes headless Service), like the Python
// client. A call no server took (one restarting or shutting down answers UNAVAILABLE) is tried
// again, on the next server when there are several; gRPC retries a stream only before its
// first frame arrives, so no frame is ever duplicated.
const serviceConfig = `{
  "loadBalancingConfig": [{"round_robin": {}}],
  "methodConfig": [{
    "name": [{"service": "animeceleb.v1.RenderService"}],
    "retryPolicy": {
      "maxAttempts": 4, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
}`

// listScheme names the resolver of a static address list; it is registered per connection
// (grpc.WithResolvers), never globally.
const listScheme = "animeceleb-list"

// reconnect: try a restarted server again soon (gRPC's default backoff grows to two minutes).
var reconnect = grpc.ConnectParams{
	Backoff:           backoff.Config{BaseDelay: 100 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 2 * time.Second},
	MinConnectTimeout: 20 * time.Second,
}

// splitList returns the addresses of "host:port,host:port,..." (two or more), or nil when addr
// is one address or a gRPC target ("dns:///name:port", "ipv4:a:p,b:p", ...).
func splitList(addr string) []string {
	parts := strings.Split(addr, ",")
	if len(parts) < 2 {
		return nil
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		host, port, err := net.SplitHostPort(p)
		if err != nil || host == "" || strings.Contains(host, "/") {
			return nil
		}
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return nil
		}
		parts[i] = p
	}
	return parts
}

// balancing is how grpc.NewClient reaches addr: the target and the dial options it needs.
// A list becomes a manual resolver's addresses, each checked under TLS against its own host
// name (Address.ServerName, also its :authority; tls.Config.ServerName, when set, wins);
// anything else is a gRPC target as it is.
func balancing(addr string) (target string, opts []grpc.DialOption) {
	opts = []grpc.DialOption{grpc.WithDefaultServiceConfig(serviceConfig), grpc.WithConnectParams(reconnect)}
	list := splitList(addr)
	if list == nil {
		return addr, opts
	}
	r := manual.NewBuilderWithScheme(listScheme)
	var state resolver.State
	for _, a := range list {
		host, _, _ := net.SplitHostPort(a)
		state.Addresses = append(state.Addresses, resolver.Address{Addr: a, ServerName: host})
	}
	r.InitialState(state)
	// No grpc.WithAuthority: it would override every address's ServerName.
	return listScheme + ":///" + addr, append(opts, grpc.WithResolvers(r))
}

// addresses are the host:port addresses addr names directly: one, or each of a list.
func addresses(addr string) []string {
	if list := splitList(addr); list != nil {
		return list
	}
	return []string{addr}
}
