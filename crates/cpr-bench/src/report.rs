//! The table of one database, printed on stdout as Markdown (so a run pastes into
//! docs/benchmarks.md as it is).

use crate::figures::DatabaseRun;
use crate::measure::Timing;

pub fn print_table(run: &DatabaseRun, machine: &str, timing: Timing) {
    println!("\n### {}\n", run.database);
    println!(
        "{machine}. {} round(s) of {} s after a warm-up, ceiling and cpr interleaved.\n",
        timing.rounds, timing.seconds
    );
    println!(
        "| figure | ceiling (same run) | ceiling, median | cpr, median | p50 / p99 ms | ratio, median (spread) | target | SQL statements per request |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for figure in &run.figures {
        let latency = match (figure.median_p50_ms, figure.median_p99_ms) {
            (Some(p50), Some(p99)) => format!("{p50:.1} / {p99:.1}"),
            (Some(p50), None) => format!("{p50:.1} / -"),
            _ => "-".to_owned(),
        };
        let name = if figure.note.is_empty() {
            figure.name.clone()
        } else {
            format!("{} ({})", figure.name, figure.note)
        };
        println!(
            "| {name} | {} | {:.0} {unit} | {:.0} {unit} | {latency} | {:.3} ({:.3}-{:.3}) | {} | {} |",
            figure.ceiling_name,
            figure.median_ceiling,
            figure.median_rate,
            figure.median_ratio,
            figure.min_ratio,
            figure.max_ratio,
            figure.target.as_deref().unwrap_or("-"),
            figure.statements.as_deref().unwrap_or("-"),
            unit = figure.unit,
        );
    }
    println!("\n| mail | cpr | lettre alone | ratio, median (spread) |");
    println!("| --- | --- | --- | --- |");
    for t in &run.mail.throughput {
        println!(
            "| {} messages of {} bytes, SMTP pool {}, claims of {} | {:.0} messages/s | {:.0} messages/s | {:.2} ({:.2}-{:.2}) |",
            t.messages,
            t.message_bytes,
            t.pool,
            t.batch,
            t.median_cpr,
            t.median_ceiling,
            t.median_ratio,
            t.min_ratio,
            t.max_ratio
        );
    }
    for d in &run.mail.delay {
        println!(
            "| commit to delivery, {} mails one every 20 ms, poll {} ms: median / p99 | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.2} / {:.2} |",
            d.samples,
            d.poll_interval_ms,
            d.median_ms,
            d.p99_ms,
            d.floor_median_ms,
            d.floor_p99_ms,
            d.median_ms / d.floor_median_ms,
            d.p99_ms / d.floor_p99_ms
        );
    }
    if !run.cycles.is_empty() {
        println!(
            "\n| whole cycle over HTTP | inputs | requests | wall s | busy s | busy ms per input | mails delivered | conflicts retried | peak RSS MiB | ratio of ms per input to the first |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        let first = run.cycles[0].ms_per_input;
        for c in &run.cycles {
            println!(
                "| {} states x {} inputs | {} | {} | {:.1} | {:.1} | {:.2} | {} | {} | {:.1} | {:.2} (target ≤ 1.5) |",
                c.states,
                c.inputs_per_review,
                c.inputs,
                c.requests,
                c.wall_seconds,
                c.seconds,
                c.ms_per_input,
                c.mails,
                c.conflicts,
                c.peak_mib,
                c.ms_per_input / first
            );
        }
    }
    for failure in &run.cycle_failures {
        println!("\nNot completed: the whole cycle of {failure}");
    }
    println!(
        "\nResident memory: idle {:.1} MiB (target ≤ 50), peak {:.1} MiB during the figures{} (target ≤ 250).",
        run.memory.idle_mib,
        run.memory.peak_figures_mib,
        run.memory
            .peak_cycle_mib
            .map(|peak| format!(", {peak:.1} MiB during the last whole cycle"))
            .unwrap_or_default()
    );
    println!(
        "Process start to ready (first 200 of /healthz): {:.1} ms on a fresh database (every migration applied), {:.1} ms restarting on a migrated one (medians); `cpr --help` {:.1} ms.",
        run.start.median_ready_ms, run.start.median_restart_ms, run.start.median_help_ms
    );
}
