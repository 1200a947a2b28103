//! The report model: serde types holding every figure a report shows; templates read only this.
