//! Render: HTML, PDF, SVG charts and CSV tables drawn from the report model, never recomputing a statistic.
