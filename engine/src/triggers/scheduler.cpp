#include "triggers/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

namespace lambdesk::engine::triggers {

namespace {

constexpr std::int64_t kLongestSleepMs = 1000;

bool sameSchedule(const ScheduleRule &a, const ScheduleRule &b)
{
    return a.scheduleExpression == b.scheduleExpression && a.anchorMs == b.anchorMs &&
           a.state == b.state;
}

} // namespace

Scheduler::Scheduler(Clock clock, FireHandler onFire)
    : m_clock(std::move(clock)), m_onFire(std::move(onFire))
{
}

Scheduler::~Scheduler()
{
    stop();
}

void Scheduler::setRules(const std::vector<ScheduleRule> &rules)
{
    const std::int64_t now = m_clock();
    std::vector<std::pair<ScheduleRule, ScheduleExpression>> parsed;
    for (const ScheduleRule &rule : rules) {
        if (rule.state != kRuleEnabled)
            continue;
        auto expression = ScheduleExpression::parse(rule.scheduleExpression);
        if (expression) // the API refuses the others; a row from elsewhere is not followed
            parsed.emplace_back(rule, *expression);
    }
    {
        // One hold: a fire between reading the old entries and swapping in the new ones would
        // otherwise be undone, and the same due time fire twice.
        std::lock_guard lock(m_mutex);
        std::map<std::string, Followed> followed;
        for (auto &[rule, expression] : parsed) {
            const auto known = m_rules.find(rule.name);
            if (known != m_rules.end() && sameSchedule(known->second.rule, rule)) {
                Followed kept = known->second;
                kept.rule = rule;
                followed.emplace(rule.name, std::move(kept));
                continue;
            }
            const auto next = expression.nextFireAfter(now, rule.anchorMs);
            followed.emplace(rule.name, Followed{rule, expression, next.value_or(0)});
        }
        m_rules = std::move(followed);
    }
    m_wake.notify_all();
}

std::size_t Scheduler::fireDue()
{
    const std::int64_t now = m_clock();
    std::vector<ScheduledFire> due;
    {
        std::lock_guard lock(m_mutex);
        for (auto &[name, followed] : m_rules) {
            if (followed.nextMs == 0 || followed.nextMs > now)
                continue;
            // The latest due time; the ones before it were missed.
            std::int64_t fire = followed.nextMs;
            while (true) {
                const auto next = followed.expression.nextFireAfter(fire, followed.rule.anchorMs);
                if (!next || *next > now) {
                    followed.nextMs = next.value_or(0);
                    break;
                }
                fire = *next;
            }
            due.push_back({followed.rule, fire});
        }
    }
    for (const ScheduledFire &fire : due) {
        try {
            m_onFire(fire);
        } catch (const std::exception &failure) { // a fire's failure must not end the thread
            std::fprintf(stderr, "lambdesk: rule %s: %s\n", fire.rule.name.c_str(), failure.what());
        }
    }
    return due.size();
}

std::map<std::string, std::int64_t> Scheduler::nextFires() const
{
    std::lock_guard lock(m_mutex);
    std::map<std::string, std::int64_t> next;
    for (const auto &[name, followed] : m_rules)
        if (followed.nextMs != 0)
            next.emplace(name, followed.nextMs);
    return next;
}

void Scheduler::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void Scheduler::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Scheduler::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        fireDue();
        const std::int64_t now = m_clock();
        lock.lock();
        std::int64_t sleepMs = kLongestSleepMs;
        for (const auto &[name, followed] : m_rules)
            if (followed.nextMs != 0)
                sleepMs = std::min(sleepMs, std::max<std::int64_t>(followed.nextMs - now, 0));
        m_wake.wait_for(lock, std::chrono::milliseconds(sleepMs));
    }
}

} // namespace lambdesk::engine::triggers
