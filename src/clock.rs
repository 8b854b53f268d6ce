//! The virtual clock: a 100 ms wall-clock timer that reports elapsed real time (the reducer turns
//! it into virtual time at 1x or 10x), and the controls: play/pause, speed, "+10s", the time.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How often the clock ticks, in real ms.
pub const TICK_MS: u32 = 100;
/// What the "+10s" button adds.
pub const STEP_MS: u64 = 10_000;

/// `83_000` → `01:23`; `3_723_000` → `1:02:03`.
pub fn format_time(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[derive(Properties, PartialEq)]
pub struct ClockProps {
    pub now_ms: u64,
    pub paused: bool,
    pub speed: u32,
    /// Real ms elapsed since the last tick.
    pub on_tick: Callback<u64>,
    pub on_toggle: Callback<()>,
    pub on_speed: Callback<u32>,
    pub on_step: Callback<u64>,
}

#[function_component]
pub fn Clock(props: &ClockProps) -> Html {
    // The timer outlives renders; it always calls the latest `on_tick`.
    let on_tick = use_mut_ref(|| props.on_tick.clone());
    *on_tick.borrow_mut() = props.on_tick.clone();
    use_effect_with((), move |_| {
        let last = Rc::new(RefCell::new(js_sys::Date::now()));
        let interval = Interval::new(TICK_MS, move || {
            let now = js_sys::Date::now();
            let elapsed = (now - *last.borrow()).max(0.0);
            *last.borrow_mut() = now;
            on_tick.borrow().emit(elapsed.round() as u64);
        });
        move || drop(interval)
    });

    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| STEP_MS);
    let speed_button = |speed: u32| {
        let on_speed = props.on_speed.clone();
        html! {
            <button class={classes!("seg", (props.speed == speed).then_some("on"))} data-testid={format!("speed-{speed}x")}
                aria-pressed={(props.speed == speed).to_string()} onclick={move |_| on_speed.emit(speed)}>
                { format!("{speed}×") }
            </button>
        }
    };
    html! {
        <div class="clock" data-testid="clock">
            <button class="icon" data-testid="clock-toggle" onclick={toggle}
                title={if props.paused { "Resume the cluster clock" } else { "Pause the cluster clock" }}>
                if props.paused {
                    <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" /></svg>
                } else {
                    <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" /></svg>
                }
                <span class="sr">{ if props.paused { "Play" } else { "Pause" } }</span>
            </button>
            <div class="segmented" role="group" aria-label="Clock speed">{ speed_button(1) }{ speed_button(10) }</div>
            <button class="clock-step" data-testid="clock-step" onclick={step} title="Advance the cluster by 10 seconds">{ "+10s" }</button>
            <span class={classes!("time", props.paused.then_some("paused"))} data-testid="clock-time"
                title="Virtual time since the cluster started">
                { format_time(props.now_ms) }
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn formats_virtual_time() {
        assert_eq!(format_time(0), "00:00");
        assert_eq!(format_time(83_999), "01:23");
        assert_eq!(format_time(3_723_000), "1:02:03");
    }
}
