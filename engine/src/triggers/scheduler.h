#pragma once
// Fires enabled schedule rules on time. It knows rules, not functions: what a fire does (invoke
// the targets) is the owner's FireHandler. Times come from an injected clock, so tests move time
// instead of waiting for it.
//
// A fire that was due while nothing ran (the engine stopped, the machine slept) is not made up
// for: a rule fires at most once per wake, for its latest due time, then looks ahead from now,
// as EventBridge does not replay missed schedules.

#include "lambdesk/engine/schedule.h"
#include "triggers/scheduleexpression.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lambdesk::engine::triggers {

struct ScheduledFire {
    ScheduleRule rule;
    std::int64_t fireMs = 0; // the scheduled time
};

class Scheduler {
public:
    using Clock = std::function<std::int64_t()>; // epoch ms
    using FireHandler = std::function<void(const ScheduledFire &)>;

    Scheduler(Clock clock, FireHandler onFire);
    ~Scheduler(); // stop()
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    // The rules to follow (disabled ones are skipped). A rule that is unchanged keeps its next
    // fire; a new or changed one looks ahead from the clock's now.
    void setRules(const std::vector<ScheduleRule> &rules);

    // A thread that sleeps until the next fire (at most a second, so that a moved clock is
    // noticed) and calls fireDue().
    void start();
    void stop();

    // Fires every rule due at the clock's now, once each; returns how many fired.
    std::size_t fireDue();
    // The next fire of each followed rule, by name (for tests and the UI).
    std::map<std::string, std::int64_t> nextFires() const;

private:
    struct Followed {
        ScheduleRule rule;
        ScheduleExpression expression;
        std::int64_t nextMs = 0; // 0: never again
    };

    void run();

    Clock m_clock;
    FireHandler m_onFire;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::string, Followed> m_rules;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace lambdesk::engine::triggers
