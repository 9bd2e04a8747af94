//! What the planner learns of each model's speed. The configured figures (time to first
//! token, input and output rates) are estimates; after each request the ratio of the time it
//! took to the time those figures predicted is kept in a small log per model under the user's
//! state folder, and a run scales the figures by the median of the recent ratios. A provider
//! that is slower than its row says gets smaller batches and fewer files summarized against
//! the deadline from the next run on; one that is faster, larger ones.

use std::collections::VecDeque;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;

use crate::config::ModelSettings;

use super::plan::Latency;

/// Ratios kept per model: enough for a stable median, few enough to follow a change.
const KEPT: usize = 20;
/// How far measurements may move the configured figures, either way.
const MOST_FACTOR: f64 = 8.0;

/// The logs of measured speeds, one per model.
#[derive(Debug, Clone)]
pub(crate) struct Speeds {
    folder: PathBuf,
}

impl Speeds {
    /// The logs under `state_dir/speed`.
    pub(crate) fn in_state_dir(state_dir: PathBuf) -> Self {
        Self { folder: state_dir.join("speed") }
    }

    fn log(&self, model: &ModelSettings) -> PathBuf {
        self.folder.join(format!("{}.log", model.name))
    }

    /// The model's configured latency scaled by what earlier runs measured: the median of
    /// the recent ratios of measured to predicted time, within [1/8, 8].
    pub(crate) fn learned(&self, model: &ModelSettings, configured: Latency) -> Latency {
        let factor = self.factor(model);
        Latency {
            first_token: configured.first_token.mul_f64(factor),
            input_tokens_per_second: configured.input_tokens_per_second / factor,
            output_tokens_per_second: configured.output_tokens_per_second / factor,
        }
    }

    /// The median ratio for this model id, 1 when nothing was measured yet.
    pub(crate) fn factor(&self, model: &ModelSettings) -> f64 {
        let Ok(text) = std::fs::read_to_string(self.log(model)) else { return 1.0 };
        let mut ratios: VecDeque<f64> = VecDeque::new();
        for line in text.lines() {
            let Some((id, ratio)) = line.rsplit_once(' ') else { continue };
            let Ok(ratio) = ratio.parse::<f64>() else { continue };
            if id != model.model || !ratio.is_finite() || ratio <= 0.0 {
                continue;
            }
            if ratios.len() == KEPT {
                ratios.pop_front();
            }
            ratios.push_back(ratio);
        }
        if ratios.is_empty() {
            return 1.0;
        }
        let mut sorted: Vec<f64> = ratios.into_iter().collect();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2].clamp(1.0 / MOST_FACTOR, MOST_FACTOR)
    }

    /// Appends this run's ratios in one write (concurrent runs never interleave within a
    /// line); a log grown past a few hundred lines starts afresh with the newest.
    pub(crate) fn record(&self, model: &ModelSettings, ratios: &[f64]) -> std::io::Result<()> {
        if ratios.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.folder)?;
        let path = self.log(model);
        if std::fs::metadata(&path).is_ok_and(|metadata| metadata.len() > 16 * 1024) {
            std::fs::remove_file(&path)?;
        }
        let lines: String =
            ratios.iter().map(|ratio| format!("{} {ratio:.3}\n", model.model)).collect();
        OpenOptions::new().create(true).append(true).open(&path)?.write_all(lines.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_median_of_recent_ratios_scales_the_configured_figures() {
        let folder = tempfile::tempdir().expect("folder");
        let speeds = Speeds::in_state_dir(folder.path().to_path_buf());
        let model = ModelSettings::example("gpt", "openai", "gpt-5.5");
        let configured = Latency {
            first_token: Duration::from_millis(400),
            input_tokens_per_second: 20_000.0,
            output_tokens_per_second: 80.0,
        };
        assert_eq!(speeds.learned(&model, configured), configured, "nothing measured yet");
        speeds.record(&model, &[2.0, 2.1, 1.9]).expect("record");
        let learned = speeds.learned(&model, configured);
        assert_eq!(learned.first_token, Duration::from_millis(800));
        assert!((learned.output_tokens_per_second - 40.0).abs() < 0.01);
        let other = ModelSettings::example("gpt", "openai", "gpt-6");
        assert_eq!(speeds.factor(&other), 1.0, "another model id starts afresh");
        speeds.record(&model, &[1000.0; 30]).expect("record");
        assert_eq!(speeds.factor(&model), MOST_FACTOR, "bounded, and old ratios age out");
    }
}
