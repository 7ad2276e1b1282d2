/**
 * Frames in: folders of images and video files as one stream of {@link org.m3sgg.video.Frame}s, and STTran's
 * preprocessing of a frame for the detector.
 *
 * <ul>
 *   <li>{@link org.m3sgg.video.FrameSources}: {@code open(fileOrFolder, sampling)} picks a frame folder or a video
 *       file. A folder holds Action Genome's dumped {@code VID.mp4/NNNNNN.png} or any PNG/JPG sequence, ordered by
 *       the last number in the file name, then by name; every frame must have the first frame's size. A video is
 *       decoded by FFmpeg. Sources read one frame at a time; {@link org.m3sgg.video.Frame#index()} is the frame's
 *       position in its source (not the number in a file name).</li>
 *   <li>{@link org.m3sgg.video.Sampling}: every n-th frame, or the frames nearest to a target rate (a video's own
 *       rate and timestamps; a folder has only the nominal rate its caller gives).</li>
 *   <li>{@link org.m3sgg.video.DetectorInput}: STTran's loader preprocessing, equal to the reference bit for bit on
 *       the fixtures {@code detector-reference} and {@code sttran-preprocess} (OpenCV 4.6).</li>
 *   <li>{@link org.m3sgg.video.ClipWriter}: frames to MP4 (H.264 by OpenH264, which bytedeco's LGPL FFmpeg build
 *       includes; MPEG-4 part 2 where an encoder for H.264 is missing) or to a GIF.</li>
 * </ul>
 *
 * <h2>STTran's preprocessing and its quirks</h2>
 * <ul>
 *   <li>RGB to BGR, float32 minus the BGR means {@code [102.9801, 115.9465, 122.7717]} (numpy subtracts in
 *       float64 and stores float32).</li>
 *   <li>Resize by {@code target / short side} (600 published) on both axes with {@code cv2.resize(INTER_LINEAR)}.
 *       The reference's {@code MAX_SIZE} (1000) test is commented out: 480x270 Charades frames become 1067x600, not
 *       1000x562. The output size is {@code round(w * fx)} with ties to even (41 * 0.5 -> 20, 43 * 0.5 -> 22).
 *       The resize runs on the float32 image after the mean subtraction, so it is OpenCV's float path, not its
 *       11-bit fixed-point path for 8-bit images: source coordinates {@code (d + 0.5) / fx - 0.5} rounded to
 *       float, float weights, edge columns copied, edge rows repeated. Two special cases of cv2 are kept: an
 *       unchanged size is a copy, and an exact halving is its 2x2 area mean.</li>
 *   <li>A video's frames are zero padded to the largest height and width; every {@code im_info} row is
 *       {@code [padded H, padded W, scale of the first frame]}: the loader gives all frames the first frame's
 *       scale.</li>
 *   <li>The scale is a double in the resize and float32 in {@code im_info}.</li>
 * </ul>
 *
 * <h2>Why JavaCV / bytedeco FFmpeg for video</h2>
 * The decoder is {@code org.bytedeco:javacv} with {@code org.bytedeco:ffmpeg:5.0-1.5.7} and its native jar for
 * {@code ${javacpp.platform}} (pom property, {@code linux-x86_64} by default), the javacpp release ND4J already
 * uses. Calling a system {@code ffmpeg} process was the alternative; the library won because it needs no system
 * install (Maven brings the same FFmpeg build to every machine and CI, including ones where no Debian package can
 * be installed), every machine therefore decodes with the same decoder and the same colour conversion, and frames
 * come with the stream's exact timestamps and the decoder's errors as exceptions rather than as parsed process
 * output. Only JavaCV's FFmpeg classes are used; its other transitive libraries (OpenCV, camera drivers) are
 * excluded in the pom.
 *
 * <p>FFmpeg logs to the process's native stderr; its level is set to quiet when it is loaded, so neither CLI
 * output, notebook cells nor test logs see it, and the kit reports errors itself in one line naming the file and
 * frame. Colour conversion (YUV to BGR and back) uses swscale with accurate rounding and full chroma
 * interpolation: JavaCV's default shifts mid grey by about 4 levels through an encode-decode round trip. Frames are
 * returned as stored: a rotation in the file's metadata (phone videos) is not applied.
 *
 * <h2>Action Genome's frames and a video decoded here</h2>
 * Action Genome's frames were dumped by the ffmpeg command line (2.8.15) at each video's own rate, numbered from
 * 1: for a constant-rate video, {@code NNNNNN.png} should be this package's frame {@code NNNNNN - 1} of the same
 * video, with pixel values that can differ by a level or two (another FFmpeg version and colour conversion).
 * To run on Action Genome exactly as STTran did, read the dumped frames folder.
 */
package org.m3sgg.video;
