//! Statements several declarations share word for word.

use super::prelude::*;

/// Use of the customer managed KMS keys of `kmsKeyArns` (SSE-KMS objects).
pub const KMS_USE: Statement = Statement {
    actions: &["kms:Decrypt", "kms:GenerateDataKey"],
    resources: Given(I::KmsKeys),
    ..Statement::STAR
};
