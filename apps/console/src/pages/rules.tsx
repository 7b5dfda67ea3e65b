import { useEffect, useRef, useState } from 'preact/hooks';
import { UnificationRule } from '../api/client';
import { ConfirmDialog } from '../components/dialog';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { RuleForm } from '../components/rule-form';
import { ScopeGate } from '../components/scope-gate';
import { announce } from '../lib/announce';
import { useApp } from '../lib/app-context';
import { pluralize } from '../lib/format';
import { moveTo, sameOrder } from '../lib/reorder';
import { describeScope, SCOPE } from '../lib/scopes';
import { useResource } from '../lib/use-resource';

export function RulesPage() {
  const { api, can } = useApp();
  const manage = can(SCOPE.rulesManage);
  const rules = useResource(() => api.listRules(), 'rules', can(SCOPE.rulesView));
  const saved = (rules.data ?? []).map((r) => r.rule_id);
  const [order, setOrder] = useState<string[] | null>(null);
  const current = order ?? saved;
  const dirty = order !== null && !sameOrder(order, saved);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [savedNote, setSavedNote] = useState(false);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UnificationRule | null>(null);
  const [removing, setRemoving] = useState<UnificationRule | null>(null);
  const [toggleError, setToggleError] = useState<unknown>();

  const byId = new Map((rules.data ?? []).map((r) => [r.rule_id, r] as const));

  const reorder = (next: string[]) => {
    setOrder(next);
    setSavedNote(false);
    setSaveError(undefined);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const next = await api.savePriorities(current);
      rules.set(next);
      setOrder(null);
      setSavedNote(true);
      announce('Priorities saved');
    } catch (failure) {
      setSaveError(failure);
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setOrder(null);
    setSaveError(undefined);
    announce('Order changes discarded');
  };

  const toggleActive = async (rule: UnificationRule) => {
    setToggleError(undefined);
    try {
      const changed = await api.changeRule(rule.rule_id, { is_active: !rule.is_active });
      rules.set((rules.data ?? []).map((r) => (r.rule_id === changed.rule_id ? changed : r)));
      announce(`${changed.rule_name} is now ${changed.is_active ? 'active' : 'inactive'}`);
    } catch (failure) {
      setToggleError(failure);
    }
  };

  return (
    <>
      <PageHeader
        title="Unification rules"
        lead="Identity resolution: rules are tried by priority, 1 first. A match on a rule's property merges two profiles, unless an immutable rule's property holds different values on both."
        actions={
          <>
            {manage && (
              <button type="button" class="button" onClick={() => setAdding(true)}>
                New rule
              </button>
            )}
            <button type="button" class="button primary" disabled={!manage || !dirty || saving} onClick={save}>
              {saving ? 'Saving…' : 'Save priorities'}
            </button>
          </>
        }
      />
      {!manage && can(SCOPE.rulesView) && (
        <p class="notice notice-info small">You can look but not change: your sign-in lacks the scope to {describeScope(SCOPE.rulesManage)}.</p>
      )}
      <ScopeGate scope={SCOPE.rulesView} what="see unification rules">
        {rules.error !== undefined ? (
          <ErrorNotice error={rules.error} onRetry={rules.reload} />
        ) : rules.data === undefined ? (
          <Loading label="Loading rules…" />
        ) : rules.data.length === 0 ? (
          <EmptyState
            title="No unification rules yet"
            action={
              manage ? (
                <button type="button" class="button primary" onClick={() => setAdding(true)}>
                  New rule
                </button>
              ) : undefined
            }
          >
            <p>Without rules, profiles merge only when they share a user_id, at sign-in.</p>
          </EmptyState>
        ) : (
          <>
            {dirty && (
              <div class="savebar" role="status">
                <span>The order has changed. Save priorities to apply it to merges from now on.</span>
                <button type="button" class="button small ghost" onClick={discard}>
                  Discard changes
                </button>
              </div>
            )}
            {savedNote && !dirty && (
              <p class="notice notice-success small" role="status">
                Priorities saved. Merge attempts from now on use the new order.
              </p>
            )}
            {saveError !== undefined && <ErrorNotice error={saveError} compact />}
            {toggleError !== undefined && <ErrorNotice error={toggleError} compact />}
            <RuleList order={current} byId={byId} saved={saved} manage={manage} onReorder={reorder} onToggle={toggleActive} onEdit={setEditing} onRemove={setRemoving} />
          </>
        )}
      </ScopeGate>
      {editing && (
        <RuleForm
          rule={editing}
          existing={rules.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(changed) => {
            setEditing(null);
            announce(`Rule ${changed.rule_name} saved`);
            rules.set((rules.data ?? []).map((r) => (r.rule_id === changed.rule_id ? changed : r)));
          }}
        />
      )}
      {adding && (
        <RuleForm
          existing={rules.data ?? []}
          onClose={() => setAdding(false)}
          onSaved={(rule) => {
            setAdding(false);
            announce(`Rule ${rule.rule_name} added with priority ${rule.priority}`);
            setOrder(null);
            rules.reload();
          }}
        />
      )}
      {removing && (
        <RemoveRule
          rule={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            announce(`Rule ${removing.rule_name} removed`);
            setRemoving(null);
            setOrder(null);
            rules.reload();
          }}
        />
      )}
    </>
  );
}

interface ListProps {
  order: string[];
  byId: Map<string, UnificationRule>;
  saved: string[];
  manage: boolean;
  onReorder: (order: string[]) => void;
  onToggle: (rule: UnificationRule) => void;
  onEdit: (rule: UnificationRule) => void;
  onRemove: (rule: UnificationRule) => void;
}

/**
 * The ordered list. Reorder by dragging a handle (mouse, pen or touch), or from the keyboard:
 * on a handle, Space or Enter picks the rule up, the arrow keys move it, Space or Enter drops
 * it and Escape puts it back; Alt+Arrow moves it at once.
 */
function RuleList({ order, byId, saved, manage, onReorder, onToggle, onEdit, onRemove }: ListProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const [grabbed, setGrabbed] = useState<{ id: string; before: string[] } | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const focusAfterMove = useRef<string | null>(null);
  const name = (id: string) => byId.get(id)?.rule_name ?? id;

  // Moving a list item re-inserts its DOM node, which drops focus: put it back on the handle.
  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusAfterMove.current = null;
    listRef.current?.querySelector<HTMLButtonElement>(`[data-handle="${CSS.escape(id)}"]`)?.focus();
  });

  const move = (id: string, index: number) => {
    const next = moveTo(order, id, index);
    if (sameOrder(next, order)) return;
    focusAfterMove.current = id;
    onReorder(next);
    announce(`${name(id)}, moved to position ${next.indexOf(id) + 1} of ${next.length}`);
  };

  const onKeyDown = (event: KeyboardEvent, id: string) => {
    const index = order.indexOf(id);
    const last = order.length - 1;
    const step = (target: number) => {
      event.preventDefault();
      move(id, target);
    };
    if (event.altKey && event.key === 'ArrowUp') return step(index - 1);
    if (event.altKey && event.key === 'ArrowDown') return step(index + 1);
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (grabbed?.id === id) {
        setGrabbed(null);
        announce(`${name(id)} dropped at position ${index + 1} of ${order.length}. Save priorities to keep the new order.`);
      } else {
        setGrabbed({ id, before: order });
        announce(`${name(id)} picked up at position ${index + 1}. Arrow keys move it, Space drops it, Escape puts it back.`);
      }
      return;
    }
    if (grabbed?.id !== id) return;
    if (event.key === 'ArrowUp') return step(index - 1);
    if (event.key === 'ArrowDown') return step(index + 1);
    if (event.key === 'Home') return step(0);
    if (event.key === 'End') return step(last);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      focusAfterMove.current = id;
      onReorder(grabbed.before);
      setGrabbed(null);
      announce(`${name(id)} put back at position ${grabbed.before.indexOf(id) + 1}`);
    }
  };

  const onPointerDown = (event: PointerEvent, id: string) => {
    if (!manage || event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    (event.currentTarget as HTMLElement).focus();
    setGrabbed(null);
    setDragging(id);
  };

  const onPointerMove = (event: PointerEvent, id: string) => {
    if (dragging !== id || !listRef.current) return;
    const items = [...listRef.current.querySelectorAll<HTMLElement>('li[data-rule-id]')].filter((li) => li.dataset.ruleId !== id);
    let target = items.length;
    for (let i = 0; i < items.length; i++) {
      const rect = items[i].getBoundingClientRect();
      if (event.clientY < rect.top + rect.height / 2) {
        target = i;
        break;
      }
    }
    const next = moveTo(order, id, target);
    if (!sameOrder(next, order)) onReorder(next);
  };

  const endDrag = (event: PointerEvent, id: string) => {
    if (dragging !== id) return;
    (event.currentTarget as HTMLElement).releasePointerCapture?.(event.pointerId);
    setDragging(null);
    const position = order.indexOf(id) + 1;
    focusAfterMove.current = id;
    announce(`${name(id)} dropped at position ${position} of ${order.length}`);
  };

  return (
    <>
      <p class="muted small" id="reorder-help">
        Drag a rule by its handle to change its priority, or focus the handle and press Space to pick it up, the arrow keys to move it and Space to drop it (Alt+Arrow moves it at once). Then save priorities.
      </p>
      <ol class="rule-list" ref={listRef} aria-describedby="reorder-help">
        {order.map((id, index) => {
          const rule = byId.get(id);
          if (!rule) return null;
          const was = saved.indexOf(id) + 1;
          const moved = was !== index + 1;
          return (
            <li
              key={id}
              data-rule-id={id}
              data-rule-name={rule.rule_name}
              class={`rule${grabbed?.id === id ? ' grabbed' : ''}${dragging === id ? ' dragging' : ''}${rule.is_active ? '' : ' inactive'}`}
            >
              <button
                type="button"
                class="handle"
                data-handle={id}
                disabled={!manage}
                aria-label={`Move ${rule.rule_name}, priority ${index + 1} of ${order.length}`}
                aria-pressed={grabbed?.id === id}
                aria-describedby="reorder-help"
                onKeyDown={(e) => onKeyDown(e, id)}
                onBlur={() => {
                  // A move re-inserts the item and blurs its handle for a moment; that is no leaving.
                  if (grabbed?.id === id && !dragging && focusAfterMove.current !== id) setGrabbed(null);
                }}
                onPointerDown={(e) => onPointerDown(e, id)}
                onPointerMove={(e) => onPointerMove(e, id)}
                onPointerUp={(e) => endDrag(e, id)}
                onPointerCancel={(e) => endDrag(e, id)}
              >
                <svg viewBox="0 0 12 20" width="12" height="20" aria-hidden="true">
                  {[3, 9].map((x) => [4, 10, 16].map((y) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" />))}
                </svg>
              </button>
              <span class="priority" title="Priority">
                <span class="visually-hidden">Priority </span>
                {index + 1}
                {moved && <span class="was">was {was}</span>}
              </span>
              <span class="rule-main">
                <span class="rule-name">{rule.rule_name}</span>
                <code class="rule-property">{rule.property_name}</code>
                <Safeguards rule={rule} />
              </span>
              <span class="rule-flags">
                <span class={`tag ${rule.immutable ? 'immutable' : 'mutable'}`} title={rule.immutable ? 'Different values on two profiles block any merge' : 'Different values block a merge only when this rule outranks the matching one'}>
                  {rule.immutable && (
                    <svg class="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                      <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" />
                    </svg>
                  )}
                  {rule.immutable ? 'Immutable' : 'Mutable'}
                </span>
                <button
                  type="button"
                  role="switch"
                  class="switch"
                  aria-checked={rule.is_active}
                  disabled={!manage}
                  onClick={() => onToggle(rule)}
                  aria-label={`${rule.rule_name} active`}
                >
                  <span class="switch-track" aria-hidden="true">
                    <span class="switch-thumb" />
                  </span>
                  <span class="switch-text">{rule.is_active ? 'Active' : 'Inactive'}</span>
                </button>
                {manage && (
                  <button type="button" class="button small" onClick={() => onEdit(rule)} aria-label={`Edit rule ${rule.rule_name}`}>
                    Edit
                  </button>
                )}
                {manage && (
                  <button type="button" class="button small danger-outline" onClick={() => onRemove(rule)} aria-label={`Remove rule ${rule.rule_name}`}>
                    Remove
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

/** A rule's safeguards in a line: its blocked values and its limit of joined profiles, when it has them. */
function Safeguards({ rule }: { rule: UnificationRule }) {
  const blocked = rule.blocked_values ?? [];
  if (blocked.length === 0 && rule.max_profiles == null) return null;
  return (
    <span class="rule-safeguards small" data-safeguards>
      {blocked.length > 0 && (
        <span title={blocked.map((v) => JSON.stringify(v)).join(', ')}>
          {pluralize(blocked.length, 'blocked value')}: {blocked.slice(0, 3).map((v) => JSON.stringify(v)).join(', ')}
          {blocked.length > 3 ? ', …' : ''}
        </span>
      )}
      {rule.max_profiles != null && <span>joins at most {rule.max_profiles} profiles</span>}
    </span>
  );
}

function RemoveRule({ rule, onClose, onRemoved }: { rule: UnificationRule; onClose: () => void; onRemoved: () => void }) {
  const { api } = useApp();
  const confirm = async () => {
    await api.removeRule(rule.rule_id);
    onRemoved();
  };
  return (
    <ConfirmDialog title={`Remove rule ${rule.rule_name}?`} confirmLabel="Remove rule" onConfirm={confirm} onCancel={onClose}>
      <p>Later merge attempts no longer use it. Profiles it already merged stay merged.</p>
    </ConfirmDialog>
  );
}
