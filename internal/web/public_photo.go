package web

import (
	"bytes"
	"image"
	"image/color"
	_ "image/gif" // decoders a phone's gallery may hand over
	"image/jpeg"
	_ "image/png"
	"net/http"
	"time"

	"thonso/internal/domain"
)

// Photo limits: the file a phone sends, its pixels (a decompression bomb
// is a small file of huge dimensions, refused before decoding), and the
// width it is kept at (the page is read on a phone).
const (
	maxPhotoBytes  = 8 << 20
	maxPhotoPixels = 40_000_000
	maxPhotoSide   = 12_000
	photoWidth     = 1024
)

// reencodePhoto checks an uploaded photo and re-encodes it as a JPEG no
// wider than photoWidth, turned upright as its EXIF orientation says.
// Decoding to pixels and encoding afresh keeps
// nothing of the file but the picture: EXIF, GPS position, camera and
// comments are gone.
func reencodePhoto(data []byte) ([]byte, int, int, error) {
	if len(data) == 0 {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "photo.missing").WithField("photo")
	}
	if len(data) > maxPhotoBytes {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "photo.too_big", "max", maxPhotoBytes>>20).WithField("photo")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "photo.not_image").WithField("photo")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxPhotoSide || cfg.Height > maxPhotoSide || cfg.Width*cfg.Height > maxPhotoPixels {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "photo.too_many_pixels", "width", cfg.Width, "height", cfg.Height).WithField("photo")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, domain.Errorf(domain.EINVALID, "photo.not_image").WithField("photo")
	}
	img = orient(shrink(img, photoWidth), exifOrientation(data))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, 0, 0, err
	}
	b := img.Bounds()
	return buf.Bytes(), b.Dx(), b.Dy(), nil
}

// shrink scales img down to at most maxW wide by averaging boxes of
// source pixels (good enough for a photo of the cultural house).
func shrink(img image.Image, maxW int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxW {
		return img
	}
	nw, nh := maxW, h*maxW/w
	if nh < 1 {
		nh = 1
	}
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	for y := 0; y < nh; y++ {
		y0, y1 := b.Min.Y+y*h/nh, b.Min.Y+(y+1)*h/nh
		if y1 <= y0 {
			y1 = y0 + 1
		}
		for x := 0; x < nw; x++ {
			x0, x1 := b.Min.X+x*w/nw, b.Min.X+(x+1)*w/nw
			if x1 <= x0 {
				x1 = x0 + 1
			}
			var r, g, bl, n uint64
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					cr, cg, cb, _ := img.At(xx, yy).RGBA()
					r, g, bl, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), n+1
				}
			}
			out.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), 0xffff})
		}
	}
	return out
}

// villagePhoto is /v/{slug}/photo.jpg, the photo the team uploaded.
func (s *Server) villagePhoto(w http.ResponseWriter, r *http.Request) {
	u, ok := s.publicVillage(w, r)
	if !ok {
		return
	}
	b, _, err := s.Store.Photo(r.Context(), u.ID)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			http.NotFound(w, r)
			return
		}
		s.fail(w, s.newPublicPage(r, ""), err)
		return
	}
	s.serveCached(w, r, "image/jpeg", b, time.Time{})
}
