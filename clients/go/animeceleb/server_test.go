package animeceleb_test

// These tests run against a live server the test starts itself:
// <repo>/.venv/bin/animeceleb serve --models <temp dir with the sample character> --host 127.0.0.1 --port P
// --workers 1, ready when its health service says SERVING, stopped (its whole process group)
// when the tests end. ANIMECELEB_VENV points at another virtual environment.

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
)

// sampleModel is what clients/testdata/sample_models.py says about the model it wrote.
type sampleModel struct {
	Name         string   `json:"name"`
	NameEn       string   `json:"name_en"`
	VertexCount  uint32   `json:"vertex_count"`
	FaceCount    uint32   `json:"face_count"`
	TargetMorphs []string `json:"target_morphs"`
}

type liveServer struct {
	addr   string
	model  sampleModel
	cmd    *exec.Cmd
	exited chan struct{}
	log    *syncBuffer
	dir    string
	tls    *tls.Config // how to reach a TLS server; nil for plain text
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	serverOnce sync.Once
	server     *liveServer
	serverErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if server != nil {
		server.stop()
	}
	os.Exit(code)
}

// connect starts the shared server on first use and returns a client for it.
func connect(t *testing.T) (*animeceleb.Client, *liveServer) {
	t.Helper()
	serverOnce.Do(func() { server, serverErr = startServer() })
	if serverErr != nil {
		t.Fatalf("starting the render server: %v", serverErr)
	}
	c, err := animeceleb.Connect(server.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, server
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// repoRoot is the project's root, from this package's folder (where go test runs).
func repoRoot() string {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		panic(err)
	}
	return root
}

// startServer starts a server for the sample character, with extra serve arguments.
func startServer(args ...string) (*liveServer, error) {
	return startServerTLS(nil, args...)
}

// startServerTLS starts a server that tc (nil for plain text) reaches.
func startServerTLS(tc *tls.Config, args ...string) (*liveServer, error) {
	root := repoRoot()
	venv := os.Getenv("ANIMECELEB_VENV")
	if venv == "" {
		venv = filepath.Join(root, ".venv")
	}
	dir, err := os.MkdirTemp("", "animeceleb-go-client-")
	if err != nil {
		return nil, err
	}
	s := &liveServer{dir: dir, log: &syncBuffer{}, exited: make(chan struct{}), tls: tc}
	models := filepath.Join(dir, "models")
	facts, err := exec.Command(filepath.Join(venv, "bin", "python"),
		filepath.Join(root, "clients", "testdata", "sample_models.py"), models).Output()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("writing the sample character: %w", err)
	}
	if err := json.Unmarshal(facts, &s.model); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.addr = "127.0.0.1:" + strconv.Itoa(port)
	s.cmd = exec.Command(filepath.Join(venv, "bin", "animeceleb"), append([]string{"serve",
		"--models", models, "--host", "127.0.0.1", "--port", strconv.Itoa(port), "--workers", "1"}, args...)...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	// A process group of its own, so stopping it also stops any worker processes.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	if err := s.waitServing(3 * time.Minute); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w\nserver output:\n%s", err, s.log.String())
	}
	return s, nil
}

func (s *liveServer) waitServing(limit time.Duration) error {
	// Health checks need no token, so a plain-text probe also answers for a token-only server.
	var opts []animeceleb.Option
	if s.tls != nil {
		opts = append(opts, animeceleb.WithTLS(s.tls))
	}
	c, err := animeceleb.Connect(s.addr, opts...)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		ok, err := c.Serving(ctx)
		cancel()
		if ok {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("server exited (%v) before it was SERVING", s.cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server not SERVING after %v (last health check: %v)", limit, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (s *liveServer) stop() {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.exited
	}
	// Workers that outlived their parent, if any, go too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	os.RemoveAll(s.dir)
}
