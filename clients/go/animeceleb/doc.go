// Package animeceleb is a Go client for the animeceleb render service: list the server's
// models, render one frame for a pose, stream frames for a stream of requests, and stream
// frames the server samples with the dataset policy.
//
//	c, err := animeceleb.Connect("localhost:50051") // or "host1:50051,host2:50051", "dns:///name:50051"
//	if err != nil { ... }
//	defer c.Close()
//	models, err := c.ListModels(ctx)
//	var pose animeceleb.Pose
//	pose[animeceleb.Yaw] = 15
//	frame, err := c.Render(ctx, models[0].Id, pose, animeceleb.StyleMMD, 0.6, 256)
//	for frame, err := range c.RenderStream(ctx, slices.Values(requests)) { ... }
//	for frame, err := range c.Sample(ctx, 100, 42, nil) { ... }
//
// Several addresses, or a dns:/// name with several (a Kubernetes headless Service), are
// balanced round-robin by gRPC itself; see Connect.
//
// Frames carry an *image.NRGBA: the service sends straight (not premultiplied) alpha, which
// is what NRGBA holds, and its Pix is the wire's bytes unchanged (or the PNG's pixels for
// frames sent as PNG: WithEncoding, SampleOptions.Encoding, RenderRequest.Encoding). Errors
// from the server are gRPC statuses; read them with status.Code (NOT_FOUND for an unknown
// model id, INVALID_ARGUMENT for a value out of range). The generated messages and stubs are
// in the animecelebv1 package beside this one, for anything the wrapper does not cover.
package animeceleb
