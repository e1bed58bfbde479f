package animeceleb

import pb "github.com/animeceleb/animeceleb/clients/go/animecelebv1"

// PoseSize is the length of a pose vector.
const PoseSize = 20

// Pose is the 20-number pose vector in PoseLayout order: morph weights in [0, 1], then yaw,
// pitch and roll in degrees (the server accepts [-90, 90]; the dataset samples [-20, 20]).
type Pose [PoseSize]float32

// PoseLayout names the entries of a Pose, in order (the proto's and DESIGN.md's POSE_LAYOUT).
var PoseLayout = [PoseSize]string{
	"eye_close_right", "eye_close_left", "eye_smile_right", "eye_smile_left",
	"eye_wide_right", "eye_wide_left", "brow_up_right", "brow_up_left",
	"brow_down_right", "brow_down_left", "brow_troubled_right", "brow_troubled_left",
	"mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o", "yaw", "pitch", "roll",
}

// Indices of the head angles in a Pose; entries before Yaw are morph weights.
const (
	Yaw   = 17
	Pitch = 18
	Roll  = 19
)

// Style is a render style (the paper's S1..S4).
type Style = pb.Style

// The four styles; StyleDefault lets the server choose (it picks StyleMMD).
const (
	StyleDefault = pb.Style_STYLE_UNSPECIFIED
	StyleMMD     = pb.Style_STYLE_MMD
	StyleCel     = pb.Style_STYLE_CEL
	StyleFlat    = pb.Style_STYLE_FLAT
	StyleSoft    = pb.Style_STYLE_SOFT
)

// Encoding is how frames travel on the wire. Frames arrive decoded either way; PNG is several
// times smaller on the wire and costs the server time to compress, raw costs nothing to decode.
type Encoding = pb.ImageEncoding

// EncodingDefault leaves the choice to the client's default (WithEncoding), else raw RGBA.
const (
	EncodingDefault = pb.ImageEncoding_IMAGE_ENCODING_UNSPECIFIED
	EncodingRaw     = pb.ImageEncoding_IMAGE_ENCODING_RAW_RGBA
	EncodingPNG     = pb.ImageEncoding_IMAGE_ENCODING_PNG
)

// Partition is the part of the dataset policy Sample draws poses from.
type Partition = pb.Partition

// PartitionRotated draws head angles uniformly in [-20, 20] degrees (the default);
// PartitionFrontal keeps them at zero.
const (
	PartitionRotated = pb.Partition_PARTITION_ROTATED
	PartitionFrontal = pb.Partition_PARTITION_FRONTAL
)

// PairRole marks a frame's place in a same-identity pair (SampleOptions.Pairs).
type PairRole = pb.PairRole

// Roles of a frame: not in a pair, a pair's source, or its driving frame.
const (
	RoleNone    = pb.PairRole_PAIR_ROLE_UNSPECIFIED
	RoleSource  = pb.PairRole_PAIR_ROLE_SOURCE
	RoleDriving = pb.PairRole_PAIR_ROLE_DRIVING
)
