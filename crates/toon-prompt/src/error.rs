//! The errors of writing for models.

/// Why a prompt text could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// The value could not be encoded (nesting too deep, a zero indent).
    #[error(transparent)]
    Encode(#[from] toon::Error),
    /// The value could not be written as JSON.
    #[error("cannot write the value as JSON: {0}")]
    Json(#[from] toon_to_json::Error),
    /// Even the skeleton, with every array cut to no rows, does not fit the budget.
    #[error(
        "even the skeleton (every array cut to 0 rows) takes {skeleton_tokens} tokens, \
         more than the budget of {max_tokens}"
    )]
    SkeletonTooLarge {
        /// Tokens of the skeleton.
        skeleton_tokens: usize,
        /// The budget.
        max_tokens: usize,
    },
}
