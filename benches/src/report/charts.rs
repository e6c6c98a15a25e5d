//! Grouped bar charts as SVG, drawn with plotters. Text is SVG `<text>` in the generic
//! `sans-serif` family, laid out by plotters' own size estimate (no `ttf` feature), so
//! the charts need no font on the machine that draws them or the one that shows them.

use std::ops::Range;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A grouped bar chart: one group per entry of `groups`, one bar per series and group.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// The caption.
    pub title: String,
    /// The y axis' description.
    pub y_label: String,
    /// The group names along the x axis.
    pub groups: Vec<String>,
    /// The series, each with one value per group (`None`: no bar).
    pub series: Vec<Series>,
    /// A horizontal line drawn across the chart (the baseline a ratio is taken against).
    pub reference: Option<f64>,
    /// How bar labels print a value (`"{:.0}%"`-like, chosen by the caller).
    pub label: fn(f64) -> String,
}

/// One series of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// One value per group of the chart.
    pub values: Vec<Option<f64>>,
}

/// The fill colours of the series, in order (Tableau 10), as `#rrggbb` in the SVG.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
];

const FONT: &str = "sans-serif";

impl BarChart {
    /// The positive values of the chart, smallest and largest.
    fn extent(&self) -> Option<(f64, f64)> {
        let values = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .chain(&self.reference)
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0);
        values.fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }

    /// Whether the y axis is logarithmic: when the values span more than 20×.
    pub fn log_scale(&self) -> bool {
        self.extent().is_some_and(|(lo, hi)| hi / lo > 20.0)
    }

    /// The chart as an SVG document, `width` pixels wide.
    pub fn to_svg(&self, width: u32) -> anyhow::Result<String> {
        let height = 440 + self.label_area(width);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
            let (lo, hi) = self.extent().unwrap_or((1.0, 1.0));
            if self.log_scale() {
                // Room above the tallest bar for its label and the legend.
                self.draw(&root, width, (lo / 2.0..hi * 8.0).log_scale(), lo / 2.0)?;
            } else {
                self.draw(&root, width, 0.0..hi * 1.3, 0.0)?;
            }
            root.present().map_err(|e| anyhow!("{e}"))?;
        }
        Ok(svg)
    }

    /// Whether the group names are too long to sit side by side, so are turned 90°.
    fn rotated_labels(&self, width: u32) -> bool {
        let slot = f64::from(width.saturating_sub(100)) / self.groups.len().max(1) as f64;
        self.longest_label() > slot
    }

    /// The estimated width of the longest group name, in pixels (12 px text).
    fn longest_label(&self) -> f64 {
        let chars = self.groups.iter().map(|g| g.chars().count()).max();
        chars.unwrap_or(0) as f64 * 7.0
    }

    /// The height of the x-axis label area.
    fn label_area(&self, width: u32) -> u32 {
        match self.rotated_labels(width) {
            true => self.longest_label() as u32 + 16,
            false => 36,
        }
    }

    fn draw<Y>(
        &self,
        root: &DrawingArea<SVGBackend<'_>, Shift>,
        width: u32,
        y: Y,
        floor: f64,
    ) -> anyhow::Result<()>
    where
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        // Group g spans g-0.5..g+0.5, so the axis' key points (whole numbers, one per
        // group) fall on the groups' centres and carry their names.
        let groups = self.groups.len().max(1);
        let x: Range<f64> = -0.5..groups as f64 - 0.5;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 20))
            .margin(12)
            .x_label_area_size(self.label_area(width))
            .y_label_area_size(64)
            .build_cartesian_2d(x, y)
            .map_err(|e| anyhow!("{e}"))?;
        let rotated = self.rotated_labels(width);
        let name_at = |x: &f64| match x.fract() == 0.0 && *x >= 0.0 && !rotated {
            true => self.groups.get(*x as usize).cloned().unwrap_or_default(),
            false => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(groups + 1)
            .x_label_formatter(&name_at)
            .x_label_style((FONT, 12))
            .y_label_style((FONT, 12))
            .y_desc(self.y_label.as_str())
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;

        if rotated {
            // Turned 90° and anchored at their start, so they run down from the axis (the
            // mesh would centre them on the tick, half inside the plot).
            let style = (FONT, 12)
                .into_font()
                .transform(FontTransform::Rotate90)
                .into_text_style(root)
                .pos(Pos::new(HPos::Left, VPos::Center));
            for (group, name) in self.groups.iter().enumerate() {
                let (x, y) = chart.backend_coord(&(group as f64, floor));
                root.draw(&Text::new(name.as_str(), (x, y + 8), style.clone()))
                    .map_err(|e| anyhow!("{e}"))?;
            }
        }
        let drawn: Vec<usize> = (0..self.series.len())
            .filter(|&s| self.series[s].values.iter().any(Option::is_some))
            .collect();
        // Each group shares its width among the series that have a value there:
        // (left edge, width) of series `s` in `group`.
        let place = |group: usize, s: usize| {
            let present: Vec<usize> = (0..self.series.len())
                .filter(|&t| {
                    self.series[t]
                        .values
                        .get(group)
                        .is_some_and(Option::is_some)
                })
                .collect();
            let slot = 0.84 / present.len().max(1) as f64;
            let position = present.iter().position(|&t| t == s).unwrap_or(0);
            (group as f64 - 0.42 + position as f64 * slot, slot)
        };
        let labels = self.groups.len() * drawn.len() <= 40;
        for &s in &drawn {
            let series = &self.series[s];
            let color = PALETTE[s % PALETTE.len()];
            // (left edge, width, value) of each bar of the series.
            let bars: Vec<(f64, f64, f64)> = series
                .values
                .iter()
                .enumerate()
                .filter_map(|(group, value)| {
                    let (left, slot) = place(group, s);
                    Some((left, slot, (*value)?))
                })
                .collect();
            let rectangles = bars.iter().map(|&(left, slot, value)| {
                Rectangle::new([(left, floor), (left + slot * 0.92, value)], color.filled())
            });
            chart
                .draw_series(rectangles)
                .map_err(|e| anyhow!("{e}"))?
                .label(series.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
            if labels {
                let style = (FONT, 10)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                let texts = bars.iter().map(|&(left, slot, value)| {
                    Text::new(
                        (self.label)(value),
                        (left + 0.46 * slot, value),
                        style.clone(),
                    )
                });
                chart.draw_series(texts).map_err(|e| anyhow!("{e}"))?;
            }
        }
        if let Some(reference) = self.reference {
            let line = PathElement::new(
                vec![(-0.5, reference), (groups as f64 - 0.5, reference)],
                BLACK,
            );
            chart
                .draw_series(std::iter::once(line))
                .map_err(|e| anyhow!("{e}"))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<Vec<Option<f64>>>) -> BarChart {
        BarChart {
            title: "t".into(),
            y_label: "y".into(),
            groups: vec!["a".into(), "b".into(), "c".into()],
            series: values
                .into_iter()
                .enumerate()
                .map(|(i, values)| Series {
                    name: format!("s{i}"),
                    values,
                })
                .collect(),
            reference: Some(1.0),
            label: |v| format!("{v:.1}"),
        }
    }

    /// `<rect` elements filled with `color`.
    fn rects(svg: &str, color: RGBColor) -> usize {
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", color.0, color.1, color.2);
        svg.split("<rect")
            .skip(1)
            .filter(|rect| rect.split("/>").next().unwrap_or("").contains(&fill))
            .count()
    }

    #[test]
    fn one_bar_per_value_plus_a_legend_swatch() {
        let chart = chart(vec![
            vec![Some(1.0), Some(2.0), None],
            vec![Some(0.5), Some(3.0), Some(2.5)],
        ]);
        assert!(!chart.log_scale());
        let svg = chart.to_svg(600).unwrap();
        assert_eq!(rects(&svg, PALETTE[0]), 2 + 1, "{svg}");
        assert_eq!(rects(&svg, PALETTE[1]), 3 + 1);
        assert!(svg.contains("font-family=\"sans-serif\""));
        for name in ["a", "b", "c"] {
            assert!(
                svg.contains(&format!(">\n{name}\n</text>")),
                "no label {name}"
            );
        }
    }

    #[test]
    fn wide_ranges_are_drawn_on_a_log_scale() {
        let chart = chart(vec![vec![Some(0.1), Some(50.0), Some(3.0)]]);
        assert!(chart.log_scale());
        let svg = chart.to_svg(600).unwrap();
        assert_eq!(rects(&svg, PALETTE[0]), 3 + 1);
    }
}
