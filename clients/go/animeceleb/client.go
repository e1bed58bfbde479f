package animeceleb

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"slices"

	pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// maxFrameMessage bounds one received message: a 1024x1024 RGBA frame (the server's default
// size bound) is 4 MiB plus its header, over gRPC's default 4 MiB receive limit.
const maxFrameMessage = 64 << 20

// Client is a connection to one render server, or to several balanced round-robin. It is
// safe for concurrent use.
type Client struct {
	conn     *grpc.ClientConn
	rpc      pb.RenderServiceClient
	health   healthpb.HealthClient
	encoding Encoding
}

type config struct {
	token    string
	tls      *tls.Config
	useTLS   bool
	encoding Encoding
	dialOpts []grpc.DialOption
}

// Option configures Connect.
type Option func(*config)

// WithToken sends "authorization: Bearer <token>" with every call. Without WithTLS the token
// is only sent to a loopback address (Connect refuses anything else), so it never crosses a
// network in clear text.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithTLS connects over TLS; a nil config uses the system's roots and the address's host name.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls, c.useTLS = cfg, true }
}

// WithEncoding sets how frames travel unless a call says otherwise (EncodingRaw by default).
// Frames arrive decoded either way.
func WithEncoding(enc Encoding) Option {
	return func(c *config) { c.encoding = enc }
}

// WithDialOptions passes extra options to grpc.NewClient (interceptors, keepalive, ...).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *config) { c.dialOpts = append(c.dialOpts, opts...) }
}

// Connect prepares a client for the server at addr: "host:port", several replicas as
// "host1:port,host2:port", or any gRPC target, such as "dns:///name:port" for every address
// of a name (a Kubernetes headless Service). Calls are balanced round-robin over all the
// addresses (a long stream stays on the server it started on), and a call no server took
// (UNAVAILABLE: one restarting or stopped) is retried, on another server when there is one.
// Like grpc.NewClient it does not dial yet: the first call connects, and connection errors
// surface there as UNAVAILABLE.
func Connect(addr string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	dial := []grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxFrameMessage)),
	}
	if cfg.useTLS {
		tc := cfg.tls
		if tc == nil {
			tc = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		dial = append(dial, grpc.WithTransportCredentials(credentials.NewTLS(tc)))
	} else {
		dial = append(dial, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	if cfg.token != "" {
		if !cfg.useTLS && slices.ContainsFunc(addresses(addr), notLoopback) {
			return nil, fmt.Errorf("animeceleb: a token to %q needs WithTLS (plain text only to loopback)", addr)
		}
		dial = append(dial, grpc.WithPerRPCCredentials(bearer{token: cfg.token, secure: cfg.useTLS}))
	}
	target, balance := balancing(addr)
	dial = append(append(dial, balance...), cfg.dialOpts...)
	conn, err := grpc.NewClient(target, dial...)
	if err != nil {
		return nil, fmt.Errorf("animeceleb: connect %q: %w", addr, err)
	}
	return &Client{
		conn:     conn,
		rpc:      pb.NewRenderServiceClient(conn),
		health:   healthpb.NewHealthClient(conn),
		encoding: cfg.encoding,
	}, nil
}

func notLoopback(addr string) bool { return !isLoopback(addr) }

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bearer is the per-call credential of WithToken.
type bearer struct {
	token  string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// Close ends the connection; calls in flight fail with CANCELED.
func (c *Client) Close() error { return c.conn.Close() }

// Target is the gRPC target the client dials: addr as given to Connect, or for a list of
// addresses "animeceleb-list:///" and the list (a resolver of the client's own).
func (c *Client) Target() string { return c.conn.Target() }

// RPC is the generated stub, for anything the wrapper does not cover.
func (c *Client) RPC() pb.RenderServiceClient { return c.rpc }

// Serving reports whether the server's standard health service (grpc.health.v1) says the
// render service is SERVING, or the server as a whole when it has no entry for the service.
func (c *Client) Serving(ctx context.Context) (bool, error) {
	r, err := c.health.Check(ctx, &healthpb.HealthCheckRequest{Service: pb.RenderService_ServiceDesc.ServiceName})
	if status.Code(err) == codes.NotFound {
		r, err = c.health.Check(ctx, &healthpb.HealthCheckRequest{})
	}
	if err != nil {
		return false, err
	}
	return r.Status == healthpb.HealthCheckResponse_SERVING, nil
}

// ListModels returns every model the server can render.
func (c *Client) ListModels(ctx context.Context) ([]*pb.ModelSummary, error) {
	r, err := c.rpc.ListModels(ctx, &pb.ListModelsRequest{})
	if err != nil {
		return nil, err
	}
	return r.Models, nil
}

// Describe returns one model in detail, with its annotation (target morph -> its own morph).
func (c *Client) Describe(ctx context.Context, modelID string) (*pb.ModelDescription, error) {
	return c.rpc.DescribeModel(ctx, &pb.DescribeModelRequest{ModelId: modelID})
}

// encodingOr is enc, or the client's default when enc is EncodingDefault.
func (c *Client) encodingOr(enc Encoding) Encoding {
	if enc != EncodingDefault {
		return enc
	}
	if c.encoding != EncodingDefault {
		return c.encoding
	}
	return EncodingRaw
}

// Render renders one frame of modelID in pose. A zero light means the server's default (0.6),
// a zero size 256; StyleDefault is MMD.
func (c *Client) Render(ctx context.Context, modelID string, pose Pose, style Style, light float32, size int) (*Frame, error) {
	req, err := c.message(RenderRequest{ModelID: modelID, Pose: pose, Style: style, Light: light, Size: size})
	if err != nil {
		return nil, err
	}
	m, err := c.rpc.Render(ctx, req)
	if err != nil {
		return nil, err
	}
	return decodeFrame(m)
}
