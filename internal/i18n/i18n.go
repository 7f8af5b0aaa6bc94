// Package i18n holds the Vietnamese (source of truth) and English
// messages, and formats numbers and dates the Vietnamese way.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"thonso/internal/domain"
)

//go:embed vi.json en.json
var files embed.FS

// Languages are the languages offered, the first the default.
var Languages = []string{"vi", "en"}

// Catalog holds every message in every language.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads the embedded catalogues and checks that English has every
// key Vietnamese has.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n %s: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	var missing []string
	for k := range c.msgs["vi"] {
		if _, ok := c.msgs["en"][k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("i18n: en.json lacks %v", missing)
	}
	return c, nil
}

// Has reports whether key exists in Vietnamese.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs["vi"][key]; return ok }

// Keys lists every Vietnamese key.
func (c *Catalog) Keys() []string {
	var out []string
	for k := range c.msgs["vi"] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lang picks a supported language from a cookie value or an
// Accept-Language header; Vietnamese by default.
func Lang(pref string) string {
	for _, part := range strings.Split(pref, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
		if strings.HasPrefix(tag, "vi") {
			return "vi"
		}
	}
	return "vi"
}

// T translates key into lang, filling {name} placeholders from args.
// A missing key shows itself, so it is noticed, never a blank.
func (c *Catalog) T(lang, key string, args map[string]any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs["vi"]
	}
	s, ok := m[key]
	if !ok {
		if s, ok = c.msgs["vi"][key]; !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		name := s[i+1 : i+j]
		b.WriteString(s[:i])
		if v, ok := args[name]; ok {
			b.WriteString(c.value(lang, v))
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}

// Err translates a domain error (or any error, as the generic message).
func (c *Catalog) Err(lang string, err error) string {
	if e, ok := domain.AsError(err); ok && c.Has(e.Key) {
		return c.T(lang, e.Key, e.Args)
	}
	return c.T(lang, "error.internal", nil)
}

func (c *Catalog) value(lang string, v any) string {
	switch x := v.(type) {
	case domain.Date:
		return x.VN()
	case []domain.Date:
		parts := make([]string, len(x))
		for i, d := range x {
			parts[i] = d.VN()
		}
		return strings.Join(parts, ", ")
	case int:
		return Int(x)
	case int64:
		return Int(int(x))
	case domain.Level:
		return c.T(lang, "level."+string(x), nil)
	case string:
		if isLabelKey(x) {
			return c.T(lang, x, nil)
		}
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = c.value(lang, s)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// Int formats n with dots between thousands: 1.189.
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Percent formats a rate (0..1) with one decimal and a comma: 66,4%.
func Percent(rate float64) string {
	s := strconv.FormatFloat(rate*100, 'f', 1, 64)
	return strings.Replace(s, ".", ",", 1) + "%"
}

// isLabelKey tells an argument that names a label to translate (a step or
// an action of the dossier workflow) from plain text.
func isLabelKey(s string) bool {
	return strings.HasPrefix(s, "state.") || strings.HasPrefix(s, "action.")
}
