package web

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// withOrientation makes a w×h JPEG whose EXIF says orientation o; its top
// left pixel is red, the rest blue.
func withOrientation(t *testing.T, w, h, o int, littleEndian bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	tiff[19] = byte(o)
	if littleEndian {
		tiff = []byte("II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
		tiff[18] = byte(o)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func TestPhotoOrientation(t *testing.T) {
	red := func(img image.Image, x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r > 0xc000 && g < 0x4000 && b < 0x4000
	}
	for _, c := range []struct {
		o          int
		le         bool
		w, h       int
		redX, redY int // where the red corner ends up (as a fraction: 0 or 1)
	}{
		{1, false, 80, 40, 0, 0}, {3, false, 80, 40, 1, 1}, {6, false, 80, 40, 1, 0}, {8, true, 80, 40, 0, 1}, {2, true, 80, 40, 1, 0},
	} {
		data := withOrientation(t, c.w, c.h, c.o, c.le)
		if got := exifOrientation(data); got != c.o {
			t.Fatalf("orientation %d read as %d", c.o, got)
		}
		out, w, h, err := reencodePhoto(data)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		wantW, wantH := c.w, c.h
		if c.o >= 5 {
			wantW, wantH = c.h, c.w
		}
		if w != wantW || h != wantH || img.Bounds().Dx() != wantW {
			t.Fatalf("o=%d: %d×%d, want %d×%d", c.o, w, h, wantW, wantH)
		}
		x, y := 2, 2
		if c.redX == 1 {
			x = wantW - 3
		}
		if c.redY == 1 {
			y = wantH - 3
		}
		if !red(img, x, y) {
			t.Errorf("o=%d: the red corner is not at (%d,%d)", c.o, x, y)
		}
		if bytes.Contains(out, []byte("Exif")) {
			t.Errorf("o=%d: EXIF kept", c.o)
		}
	}
	// Damaged or absent EXIF reads as upright.
	for _, d := range [][]byte{nil, {0xFF, 0xD8}, []byte("not a jpeg"), {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0xFF, 0xFF, 0xFF, 0xFF}} {
		if exifOrientation(d) != 1 {
			t.Errorf("%q: not 1", d)
		}
	}
}
