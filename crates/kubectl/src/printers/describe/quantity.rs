//! `resource.Quantity` as describe prints it, and the request and limit sums of a pod.

use super::prelude::*;

pub(super) fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1).div_euclid(b)
}

/// How a quantity was written, which its canonical form keeps (`resource.Format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum QFormat {
    #[default]
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A `resource.Quantity`: a value in milli-units and the format it prints in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Quantity {
    pub(super) milli: i64,
    pub(super) format: QFormat,
}

impl Quantity {
    pub(super) fn parse(text: &str) -> Option<Quantity> {
        let milli = crate::engine::quantity::parse_milli(text)?;
        let t = text.trim();
        let format = if t.ends_with('i') {
            QFormat::BinarySI
        } else if t.trim_start_matches(['+', '-']).contains(['e', 'E']) {
            QFormat::DecimalExponent
        } else {
            QFormat::DecimalSI
        };
        Some(Quantity { milli, format })
    }

    /// `Value()`: whole units, rounded up.
    pub(super) fn value(&self) -> i64 {
        ceil_div(self.milli, 1000)
    }
}

/// `Quantity.String()`: the canonical form (`CanonicalizeBytes`). BinarySI values below 1Ki or
/// with a fraction print as DecimalSI; decimal values use the largest SI suffix that keeps the
/// mantissa an integer (`1500m`, `2`, `16k`).
impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.milli;
        if self.format == QFormat::BinarySI && m.abs() >= 1024 * 1000 && m % 1000 == 0 {
            let (mut n, mut k) = (m / 1000, 0);
            while n % 1024 == 0 && k < 6 {
                n /= 1024;
                k += 1;
            }
            return write!(f, "{n}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]);
        }
        if m == 0 {
            return f.write_str("0");
        }
        let (mut mant, mut exp) = (m, -3i32);
        while mant % 1000 == 0 && exp < 18 {
            mant /= 1000;
            exp += 3;
        }
        let suffix = match (self.format, exp) {
            (QFormat::DecimalExponent, 0) => String::new(),
            (QFormat::DecimalExponent, e) => format!("e{e}"),
            (_, -3) => "m".into(),
            (_, 0) => String::new(),
            (_, e) => ["k", "M", "G", "T", "P", "E"][(e / 3 - 1) as usize].into(),
        };
        write!(f, "{mant}{suffix}")
    }
}

/// A quantity as `describe` prints it; text that does not parse is shown as it is.
pub(super) fn canonical_quantity(text: &str) -> String {
    Quantity::parse(text)
        .map(|q| q.to_string())
        .unwrap_or_else(|| text.to_string())
}

/// `PodRequestsAndLimits`: per resource, the sum over app containers, or the largest init
/// container's value when that is bigger. Sums keep the format of the first term (`Add`).
pub(super) fn pod_requests_and_limits(p: &Pod) -> (BTreeMap<String, Quantity>, BTreeMap<String, Quantity>) {
    let of = |list: &BTreeMap<String, Value>| -> BTreeMap<String, Quantity> {
        list.keys()
            .filter_map(|k| {
                ResourceRequirements::get(list, k)
                    .and_then(|t| Quantity::parse(&t))
                    .map(|q| (k.clone(), q))
            })
            .collect()
    };
    let mut req: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lim: BTreeMap<String, Quantity> = BTreeMap::new();
    for c in &p.spec.containers {
        add_all(&mut req, of(&c.resources.requests));
        add_all(&mut lim, of(&c.resources.limits));
    }
    for c in &p.spec.init_containers {
        for (target, list) in [
            (&mut req, of(&c.resources.requests)),
            (&mut lim, of(&c.resources.limits)),
        ] {
            for (k, q) in list {
                if target.get(&k).is_none_or(|cur| q.milli > cur.milli) {
                    target.insert(k, q);
                }
            }
        }
    }
    (req, lim)
}

pub(super) fn add_all(total: &mut BTreeMap<String, Quantity>, more: BTreeMap<String, Quantity>) {
    for (k, q) in more {
        match total.get_mut(&k) {
            Some(cur) => cur.milli += q.milli,
            None => {
                total.insert(k, q);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_print_canonically() {
        for (text, want) in [
            ("250m", "250m"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("64Mi", "64Mi"),
            ("8148080Ki", "8148080Ki"),
            ("1024", "1024"),
            ("16000", "16k"),
            ("512Ki", "512Ki"),
            ("1e3", "1e3"),
            ("0", "0"),
        ] {
            assert_eq!(canonical_quantity(text), want, "{text}");
        }
        let sum = Quantity {
            milli: 100 + 250,
            format: QFormat::DecimalSI,
        };
        assert_eq!(sum.to_string(), "350m");
        assert_eq!(Quantity::default().to_string(), "0");
    }
}
