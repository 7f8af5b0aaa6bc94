package domain

import (
	"math"
	"time"
)

// LunarToSolar converts a date of the Vietnamese lunar calendar (UTC+7)
// to the Gregorian calendar, with the astronomical method Vietnam uses:
// a month begins on the day of the new moon, the 11th month holds the
// winter solstice, and a leap month is the first without a major solar
// term (after Meeus' formulas for new moons and the sun's longitude).
// It is used for Tết Nguyên đán (1/1) and Giỗ Tổ Hùng Vương (10/3).
func LunarToSolar(day, month, year int, leap bool) Date {
	const tz = 7.0
	var a11, b11 int
	if month < 11 {
		a11, b11 = lunarMonth11(year-1, tz), lunarMonth11(year, tz)
	} else {
		a11, b11 = lunarMonth11(year, tz), lunarMonth11(year+1, tz)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11, tz)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return Date{}
		}
		if leap || off >= leapOff {
			off++
		}
	}
	return jdToDate(newMoonDay(k+off, tz) + day - 1)
}

func jdFromDate(d, m, y int) int {
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
}

func jdToDate(jd int) Date {
	a := jd + 32044
	b := (4*a + 3) / 146097
	c := a - b*146097/4
	d := (4*c + 3) / 1461
	e := c - 1461*d/4
	m := (5*e + 2) / 153
	day := e - (153*m+2)/5 + 1
	month := m + 3 - 12*(m/10)
	year := b*100 + d - 4800 + m/10
	return NewDate(year, time.Month(month), day)
}

// newMoon is the Julian day of the k-th new moon after 1 January 1900.
func newMoon(k int) float64 {
	T := float64(k) / 1236.85
	T2, T3 := T*T, T*T*T
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*float64(k) + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*float64(k) - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*float64(k) + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*float64(k) - 0.0016528*T2 - 0.00000239*T3
	C1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	C1 = C1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	C1 -= 0.0004 * math.Sin(dr*3*Mpr)
	C1 = C1 + 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	C1 = C1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	C1 = C1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	C1 = C1 + 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltat float64
	if T < -11 {
		deltat = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltat = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + C1 - deltat
}

// sunLongitude is the sun's longitude (radians, 0..2π) at a Julian day.
func sunLongitude(jdn float64) float64 {
	T := (jdn - 2451545.0) / 36525
	T2 := T * T
	dr := math.Pi / 180
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	return L - 2*math.Pi*math.Floor(L/(2*math.Pi))
}

func newMoonDay(k int, tz float64) int { return int(math.Floor(newMoon(k) + 0.5 + tz/24)) }

// solarTerm is which of the 12 major solar terms the day falls in (0..11).
func solarTerm(jdn int, tz float64) int {
	return int(math.Floor(sunLongitude(float64(jdn)-0.5-tz/24) / math.Pi * 6))
}

// lunarMonth11 is the Julian day the 11th lunar month of a year begins.
func lunarMonth11(year int, tz float64) int {
	off := float64(jdFromDate(31, 12, year)) - 2415021
	k := int(math.Floor(off / 29.530588853))
	nm := newMoonDay(k, tz)
	if solarTerm(nm, tz) >= 9 {
		nm = newMoonDay(k-1, tz)
	}
	return nm
}

func leapMonthOffset(a11 int, tz float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := solarTerm(newMoonDay(k+i, tz), tz)
	last := -1
	for arc != last && i < 14 {
		last = arc
		i++
		arc = solarTerm(newMoonDay(k+i, tz), tz)
	}
	return i - 1
}
