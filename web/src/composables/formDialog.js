// The state of a create/edit dialog (components/FormDialog.vue draws it) and the confirmed
// delete, written once for every view: open with a fresh model (or a row's values), submit
// with a spinner, the API's field errors under their fields (errors.js), a stale version
// (409 without fields) said in words, success message and the view's refresh.
import { reactive } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { i18n } from '../i18n'
import { del } from '../api'
import { errorText, fieldErrors } from '../errors'

const t = (k, a) => i18n.global.t(k, a)
const RECORD_LEVEL = ['version', 'status', 'id']
// 409 about the version read: someone saved in between.
const stale = (e) => e.status === 409 && !!e.fields && 'version' in e.fields
// The API's refusal in the user's language: a stale version, a certified (or rejected)
// record that can no longer change, one still referred to (in Chinese the server's own
// words), or errors.js's text.
export function refusal(e) {
  if (stale(e)) return t('form.conflict')
  if (i18n.global.locale.value !== 'zh-CN') {
    if (e.code === 'rule_violation' && e.fields && e.fields.status) return t('form.locked')
    if (e.code === 'conflict') return t('form.inUse') // other records still refer to it
  }
  return errorText(e)
}

/**
 * blank(): the empty model; fromRow(row): the model's values for editing row;
 * submit(form, cur): the API call (cur is the row being edited, or null), its answer is
 * passed to done(answer, cur) after the dialog closed; saved: the success message's key, or
 * a function of the answer giving its text. Returns a reactive object:
 * { open, cur, form, saving, err, msg, show(row, extra), save(), close() }.
 */
export function useFormDialog({ blank, fromRow, submit, done, saved = 'form.saved' }) {
  const d = reactive({
    open: false, cur: null, form: blank(), saving: false, err: {}, msg: '',
    show(row = null, extra = {}) {
      d.cur = row
      Object.assign(d.form, blank(), row && fromRow ? fromRow(row) : {}, extra)
      d.err = {}
      d.msg = ''
      d.open = true
    },
    close() { d.open = false },
    async save() {
      d.err = {}
      d.msg = ''
      d.saving = true
      try {
        const r = await submit(d.form, d.cur)
        d.open = false
        ElMessage.success(typeof saved === 'function' ? saved(r) : t(saved))
        if (done) await done(r, d.cur)
      } catch (e) {
        if (e.local) { d.err = e.fields; return }
        // A stale version, or a rule about the whole record (status: certified), names no
        // field of the form: it shows above the buttons instead.
        const err = fieldErrors(e)
        for (const k of RECORD_LEVEL) delete err[k]
        // An upload's error is already in words (the file's name and why).
        if (e.fields && e.fields.attachment) err.attachment = e.fields.attachment
        d.err = err
        d.msg = refusal(e)
      } finally { d.saving = false }
    },
  })
  return d
}

// What the view finds wrong before asking the API (submit throws it): messages by field.
export function localError(fields) { return Object.assign(new Error('local'), { local: true, fields }) }

/**
 * Asks before deleting (message names the thing), then DELETE path?version=N; the API's
 * refusal (409 stale, 422 certified, …) shows in the user's language. Resolves true when
 * deleted, false when cancelled or refused. verb: the title and button (删除 unless given).
 */
export async function confirmDelete(message, path, version, done, verb = t('form.delete')) {
  try {
    await ElMessageBox.confirm(message, verb, { type: 'warning', confirmButtonText: verb, cancelButtonText: t('common.cancel') })
  } catch { return false }
  try {
    await del(`${path}?version=${version}`)
  } catch (e) {
    ElMessage.error(refusal(e))
    return false
  }
  ElMessage.success(t('form.deleted'))
  if (done) await done()
  return true
}
