//! The two learners of the profile, on sparse binary features: a multinomial logistic
//! regression (L2, weighted samples, deterministic SGD) for the type and the style, and
//! nearest neighbours by cosine over idf-weighted features for the scope, where the answer
//! is usually a name seen on a few similar commits rather than a pattern over many.

use std::collections::HashMap;

use super::cache::{Reader, Writer};

/// Feature ids of the training set, dense from zero.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    ids: HashMap<u64, u32>,
    /// Commits each feature appears in.
    counts: Vec<u32>,
}

impl Vocabulary {
    /// Gives each new feature an id and counts it once.
    pub(crate) fn learn(&mut self, features: &[u64]) -> Vec<u32> {
        features
            .iter()
            .map(|feature| {
                let next = u32::try_from(self.counts.len()).unwrap_or(u32::MAX);
                let id = *self.ids.entry(*feature).or_insert(next);
                if id == next {
                    self.counts.push(0);
                }
                if let Some(count) = self.counts.get_mut(id as usize) {
                    *count += 1;
                }
                id
            })
            .collect()
    }

    /// The ids of known features, unknown ones dropped.
    pub(crate) fn lookup(&self, features: &[u64]) -> Vec<u32> {
        features.iter().filter_map(|feature| self.ids.get(feature).copied()).collect()
    }

    /// Features known.
    pub(crate) fn len(&self) -> usize {
        self.counts.len()
    }

    /// Writes the features in id order, each with its count.
    pub(crate) fn encode(&self, writer: &mut Writer) {
        let mut features = vec![0u64; self.counts.len()];
        for (feature, id) in &self.ids {
            if let Some(slot) = features.get_mut(*id as usize) {
                *slot = *feature;
            }
        }
        writer.len(features.len());
        for (feature, count) in features.iter().zip(&self.counts) {
            writer.u64(*feature);
            writer.u32(*count);
        }
    }

    /// Reads what `encode` wrote.
    pub(crate) fn decode(reader: &mut Reader<'_>) -> Option<Vocabulary> {
        let count = reader.len(12)?;
        let mut vocabulary =
            Vocabulary { ids: HashMap::with_capacity(count), counts: Vec::with_capacity(count) };
        for id in 0..count {
            vocabulary.ids.insert(reader.u64()?, u32::try_from(id).ok()?);
            vocabulary.counts.push(reader.u32()?);
        }
        Some(vocabulary)
    }

    /// Inverse document frequency over `documents` commits.
    pub(crate) fn idf(&self, documents: usize) -> Vec<f32> {
        let total = documents as f32 + 1.0;
        self.counts.iter().map(|count| (total / (*count as f32 + 1.0)).ln() + 1.0).collect()
    }
}

/// One training example for the regression.
pub(crate) struct Sample<'a> {
    /// Feature ids.
    pub(crate) features: &'a [u32],
    /// The class index.
    pub(crate) label: usize,
    /// How much it counts (recency).
    pub(crate) weight: f32,
}

/// A trained multinomial logistic regression.
#[derive(Debug, Clone)]
pub(crate) struct Softmax {
    classes: usize,
    /// `features × classes`, row by feature.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// Passes over the training set. Training is most of what a warm run spends on the profile;
/// on the five tuned repositories 7 passes matched the type as often as 12 to one commit in
/// 977 (81.4% against 81.5%), and 5 lost five.
const EPOCHS: usize = 7;
/// The first step size.
const LEARNING_RATE: f32 = 0.8;
/// L2 penalty, applied to the weights a sample touches (lazy regularisation).
const L2: f32 = 1e-4;

impl Softmax {
    /// Trains on `samples` with `features` feature ids and `classes` classes.
    pub(crate) fn train(samples: &[Sample<'_>], features: usize, classes: usize) -> Softmax {
        let mut model =
            Softmax { classes, weights: vec![0.0; features * classes], bias: vec![0.0; classes] };
        if classes < 2 || samples.is_empty() {
            return model;
        }
        // A fixed shuffle (a linear congruential sequence) keeps training deterministic.
        let mut order: Vec<usize> = (0..samples.len()).collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for index in (1..order.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let other = (state >> 33) as usize % (index + 1);
            order.swap(index, other);
        }
        let mut scores = vec![0.0f32; classes];
        let mut gradients = vec![0.0f32; classes];
        let mut step = 0usize;
        let total_steps = (EPOCHS * samples.len()).max(1) as f32;
        for _ in 0..EPOCHS {
            for &index in &order {
                let sample = &samples[index];
                let rate = LEARNING_RATE / (1.0 + 4.0 * step as f32 / total_steps);
                step += 1;
                let value = 1.0 / (sample.features.len().max(1) as f32).sqrt();
                model.scores_into(sample.features, value, &mut scores);
                softmax_in_place(&mut scores);
                for (class, (probability, gradient)) in
                    scores.iter().zip(gradients.iter_mut()).enumerate()
                {
                    let target = if class == sample.label { 1.0 } else { 0.0 };
                    *gradient = (probability - target) * sample.weight;
                    model.bias[class] -= rate * *gradient;
                }
                // Row by row: a feature's weights for every class sit side by side.
                for &feature in sample.features {
                    let row = feature as usize * classes;
                    let Some(weights) = model.weights.get_mut(row..row + classes) else { continue };
                    for (weight, gradient) in weights.iter_mut().zip(&gradients) {
                        *weight -= rate * (gradient * value + L2 * *weight);
                    }
                }
            }
        }
        model
    }

    fn scores_into(&self, features: &[u32], value: f32, scores: &mut [f32]) {
        scores.copy_from_slice(&self.bias);
        for &feature in features {
            let row = feature as usize * self.classes;
            if let Some(weights) = self.weights.get(row..row + self.classes) {
                for (score, weight) in scores.iter_mut().zip(weights) {
                    *score += weight * value;
                }
            }
        }
    }

    /// Writes the classes, the weights and the biases.
    pub(crate) fn encode(&self, writer: &mut Writer) {
        writer.len(self.classes);
        writer.f32s(&self.weights);
        writer.f32s(&self.bias);
    }

    /// Reads what `encode` wrote.
    pub(crate) fn decode(reader: &mut Reader<'_>) -> Option<Softmax> {
        let classes = reader.len(0)?;
        let weights = reader.f32s()?;
        let bias = reader.f32s()?;
        (bias.len() == classes && weights.len() % classes.max(1) == 0).then_some(Softmax {
            classes,
            weights,
            bias,
        })
    }

    /// The probability of each class for a change with these features.
    pub(crate) fn predict(&self, features: &[u32]) -> Vec<f32> {
        let mut scores = vec![0.0f32; self.classes];
        let value = 1.0 / (features.len().max(1) as f32).sqrt();
        self.scores_into(features, value, &mut scores);
        softmax_in_place(&mut scores);
        scores
    }
}

fn softmax_in_place(scores: &mut [f32]) {
    let highest = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for score in scores.iter_mut() {
        *score = (*score - highest).exp();
        sum += *score;
    }
    if sum > 0.0 {
        for score in scores.iter_mut() {
            *score /= sum;
        }
    }
}

/// A change as a unit vector of idf-weighted features, for cosine similarity.
#[derive(Debug, Clone)]
pub(crate) struct Vector {
    entries: Vec<(u32, f32)>,
}

impl Vector {
    /// The unit vector of `features` with weights `idf`.
    pub(crate) fn new(features: &[u32], idf: &[f32]) -> Vector {
        let mut entries: Vec<(u32, f32)> = features
            .iter()
            .map(|feature| (*feature, idf.get(*feature as usize).copied().unwrap_or(1.0)))
            .collect();
        let norm = entries.iter().map(|(_, weight)| weight * weight).sum::<f32>().sqrt();
        if norm > 0.0 {
            for entry in &mut entries {
                entry.1 /= norm;
            }
        }
        entries.sort_by_key(|(feature, _)| *feature);
        Vector { entries }
    }

    /// Cosine similarity with a query spread over a dense array.
    pub(crate) fn dot_dense(&self, dense: &[f32]) -> f32 {
        self.entries
            .iter()
            .map(|(feature, weight)| dense.get(*feature as usize).copied().unwrap_or(0.0) * weight)
            .sum()
    }

    /// Writes the vector into a dense array (cleared by `clear_dense`).
    pub(crate) fn spread(&self, dense: &mut [f32]) {
        for (feature, weight) in &self.entries {
            if let Some(slot) = dense.get_mut(*feature as usize) {
                *slot = *weight;
            }
        }
    }

    /// Undoes `spread`.
    #[cfg(test)]
    pub(crate) fn clear_dense(&self, dense: &mut [f32]) {
        for (feature, _) in &self.entries {
            if let Some(slot) = dense.get_mut(*feature as usize) {
                *slot = 0.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regression_learns_a_separable_rule() {
        let mut vocabulary = Vocabulary::default();
        let docs = vocabulary.learn(&[1, 10]);
        let code = vocabulary.learn(&[2, 10]);
        let samples: Vec<Sample<'_>> = (0..20)
            .map(|index| {
                let (features, label) = if index % 2 == 0 { (&docs, 0) } else { (&code, 1) };
                Sample { features, label, weight: 1.0 }
            })
            .collect();
        let model = Softmax::train(&samples, vocabulary.len(), 2);
        assert!(model.predict(&vocabulary.lookup(&[1, 10]))[0] > 0.8);
        assert!(model.predict(&vocabulary.lookup(&[2, 10]))[1] > 0.8);
    }

    #[test]
    fn cosine_of_a_vector_with_itself_is_one() {
        let idf = vec![1.0, 2.0, 3.0];
        let vector = Vector::new(&[0, 2], &idf);
        let mut dense = vec![0.0; 3];
        vector.spread(&mut dense);
        assert!((vector.dot_dense(&dense) - 1.0).abs() < 1e-5);
        vector.clear_dense(&mut dense);
        assert!(dense.iter().all(|value| *value == 0.0));
    }
}
