//! The local equirectangular projection of a choropleth (x = longitude × cos(latitude of the
//! middle of the map), y = −latitude), fitted into a frame of pixels, and its scale bar.

/// Kilometres in one degree of latitude (mean Earth radius of 6,371 km).
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// A rectangle of the drawing, in pixels: left, top, width, height.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// Maps (longitude, latitude) in WGS84 degrees to pixels, with the same scale on both axes.
#[derive(Debug, Clone)]
pub(super) struct Projection {
    cos_latitude: f64,
    /// Projected x of the westernmost point, y of the northernmost.
    origin: (f64, f64),
    /// Pixels per projected degree.
    scale: f64,
    /// Pixel of the origin: the map is centred across its frame, at its top.
    corner: (f64, f64),
    /// Height of the map in pixels.
    height: f64,
}

impl Projection {
    /// The projection that fits `points` as large as possible into `frame`, centred across it
    /// and at its top; `None` without any point.
    pub(super) fn fit(points: &[(f64, f64)], frame: Frame) -> Option<Self> {
        let extent = |values: &mut dyn Iterator<Item = f64>| {
            values.fold(None, |range: Option<(f64, f64)>, v| {
                Some(range.map_or((v, v), |(low, high)| (low.min(v), high.max(v))))
            })
        };
        let (south, north) = extent(&mut points.iter().map(|p| p.1))?;
        let cos_latitude = ((south + north) / 2.0).to_radians().cos();
        let (west, east) = extent(&mut points.iter().map(|p| p.0 * cos_latitude))?;
        let (width, height) = (east - west, north - south);
        let fits = [(frame.width, width), (frame.height, height)]
            .into_iter()
            .filter(|&(_, extent)| extent > 0.0)
            .map(|(pixels, extent)| pixels / extent);
        let scale = fits.reduce(f64::min).unwrap_or(1.0);
        let corner = (frame.left + (frame.width - width * scale) / 2.0, frame.top);
        Some(Self {
            cos_latitude,
            origin: (west, -north),
            scale,
            corner,
            height: height * scale,
        })
    }

    pub(super) fn to_pixels(&self, (longitude, latitude): (f64, f64)) -> (f64, f64) {
        let x = longitude * self.cos_latitude - self.origin.0;
        let y = -latitude - self.origin.1;
        (
            self.corner.0 + x * self.scale,
            self.corner.1 + y * self.scale,
        )
    }

    /// The height of the map in pixels, at most the frame's.
    pub(super) fn height(&self) -> f64 {
        self.height
    }

    pub(super) fn pixels_per_km(&self) -> f64 {
        self.scale / KM_PER_DEGREE
    }
}

/// The longest round length (1, 2 or 5 × a power of ten) in km whose bar fits in `max_pixels`.
pub(super) fn scale_bar_km(pixels_per_km: f64, max_pixels: f64) -> f64 {
    let longest = max_pixels / pixels_per_km;
    let power = 10_f64.powf(longest.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|step| step * power)
        .find(|&length| length <= longest)
        .unwrap_or(power)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        left: 10.0,
        top: 20.0,
        width: 400.0,
        height: 400.0,
    };

    #[test]
    fn a_square_degree_at_45_degrees_is_0_707_as_wide_as_tall() {
        let square = [(2.0, 44.5), (3.0, 44.5), (3.0, 45.5), (2.0, 45.5)];
        let projection = Projection::fit(&square, FRAME).expect("points");
        let (west, south) = projection.to_pixels((2.0, 44.5));
        let (east, north) = projection.to_pixels((3.0, 45.5));
        let (width, height) = (east - west, south - north);
        assert!(
            (width / height - 45_f64.to_radians().cos()).abs() < 1e-9,
            "{width} × {height}"
        );
        assert!(
            (height - 400.0).abs() < 1e-9,
            "the taller side fills the frame"
        );
        assert!(
            (west - 10.0 - (400.0 - width) / 2.0).abs() < 1e-9,
            "centred"
        );
        assert!(north < south, "north is up");
        assert_eq!(
            (north, projection.height()),
            (20.0, height),
            "at the top of the frame"
        );
        assert!((projection.pixels_per_km() * KM_PER_DEGREE - 400.0).abs() < 1e-9);
    }

    #[test]
    fn a_wide_map_keeps_its_height_in_proportion() {
        let band = [(1.0, 45.25), (3.0, 44.75)];
        let projection = Projection::fit(&band, FRAME).expect("points");
        let expected = 400.0 * 0.5 / (2.0 * 45_f64.to_radians().cos());
        assert!(
            (projection.height() - expected).abs() < 1e-9,
            "{}",
            projection.height()
        );
    }

    #[test]
    fn a_single_point_or_nothing() {
        let point = Projection::fit(&[(7.5, 48.5)], FRAME).expect("a point");
        assert_eq!(point.to_pixels((7.5, 48.5)), (210.0, 20.0));
        assert_eq!(point.height(), 0.0);
        assert!(Projection::fit(&[], FRAME).is_none());
    }

    #[test]
    fn the_scale_bar_is_a_round_length_that_fits() {
        assert_eq!(scale_bar_km(10.0, 120.0), 10.0);
        assert_eq!(scale_bar_km(10.0, 60.0), 5.0);
        assert_eq!(scale_bar_km(3.0, 120.0), 20.0);
        assert_eq!(scale_bar_km(300.0, 120.0), 0.2);
    }
}
