"""Operators turn a search that found nothing into a synonym group (MATCH-1, ADR 0011 §7):
地磅 = 电子汽车衡. A group has no status, so these are plain staff forms; the vocabulary is
re-read on the next search (`VOCABULARY.forget()`; other processes within 30 s)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE
from qihub.core import audit
from qihub.institutions.models import SearchWord, Synonym
from qihub.institutions.query import VOCABULARY, corrections
from qihub.institutions.tokens import normalise

WORD_MAX = 30
SEPARATORS = str.maketrans(
    {",": "、", "，": "、", ";": "、", "；": "、", " ": "、", "\u3000": "、"}
)
DATALIST_SIZE = 1000
GROUP_MAX = 200  # Synonym.words


def split_words(text: str) -> list[str]:
    return [w.strip() for w in text.translate(SEPARATORS).split("、") if w.strip()]


class SynonymForm(forms.Form):
    word = forms.CharField(
        label="用户的说法",
        max_length=100,
        error_messages={"required": "用户的说法：必须填写，如“地磅”"},
        help_text="用户检索时输入的词",
    )
    means = forms.CharField(
        label="对应的规范名称",
        max_length=200,
        error_messages={
            "required": "对应的规范名称：必须填写，如“电子汽车衡”",
            "max_length": "对应的规范名称：不能超过 200 字",
        },
        help_text="能力范围中的叫法；多个用顿号分隔，如：电子汽车衡、汽车衡",
        widget=forms.TextInput(attrs={"list": "vocabulary", "autocomplete": "off"}),
    )

    def clean_word(self) -> str:
        word = self.cleaned_data["word"].strip()
        if len(split_words(word)) != 1:
            raise forms.ValidationError("用户的说法：只填一个词，其余的填在“对应的规范名称”中")
        if len(word) > WORD_MAX:
            raise forms.ValidationError(f"用户的说法：不能超过 {WORD_MAX} 字")
        return word

    def clean_means(self) -> list[str]:
        words = split_words(self.cleaned_data["means"])
        too_long = [w for w in words if len(w) > WORD_MAX]
        if too_long:
            raise forms.ValidationError(
                f"对应的规范名称：每个词不能超过 {WORD_MAX} 字（{too_long[0][:10]}…）"
            )
        return words

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "word" not in data or "means" not in data:
            return data
        group = list(dict.fromkeys([data["word"], *data["means"]]))
        distinct = {normalise(w) for w in group}
        if len(distinct) < 2:
            self.add_error("means", "对应的规范名称：至少填一个与“用户的说法”不同的词")
            return data
        joined = "、".join(group)
        if len(joined) > GROUP_MAX:
            self.add_error("means", "对应的规范名称：这一组词合计过长，请分成几组")
        existing = (
            g
            for g in Synonym.objects.values_list("words", flat=True)
            if {normalise(w) for w in split_words(g)} == distinct
        )
        same = next(existing, None)
        if same is not None:
            self.add_error("means", f"对应的规范名称：已有完全相同的一组同义词（{same}）")
        data["words"] = joined
        return data


def _vocabulary(word: str) -> list[str]:
    """Words for the form's datalist: the suggestions for the missed word first, then the scope
    vocabulary (objects before parameters)."""
    suggested = [w for w, _ in corrections(word)] if word else []
    known = SearchWord.objects.order_by("kind", "word").values_list("word", flat=True)
    return list(dict.fromkeys([*suggested, *known[:DATALIST_SIZE]]))


def _save(request: HttpRequest, form: SynonymForm) -> Synonym:
    synonym = Synonym.objects.create(
        words=form.cleaned_data["words"], created_by_id=request.user.pk
    )
    audit.record(request.user, "synonym.added", synonym)
    VOCABULARY.forget()
    return synonym


@role_required(*BACK_OFFICE)  # the same people who see the searches that found nothing
def synonyms(request: HttpRequest) -> HttpResponse:
    """The synonym groups, with a form to add one."""
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        synonym = _save(request, form)
        messages.success(request, f"已添加同义词：{synonym.words}")
        return redirect("institutions:synonyms")
    return render(
        request,
        "institutions/synonyms.html",
        {
            "form": form,
            "groups": Synonym.objects.select_related("created_by"),
            "vocabulary": _vocabulary(""),
        },
        status=400 if form.errors else 200,
    )


@role_required(*BACK_OFFICE)
def add_synonym(request: HttpRequest) -> HttpResponse:
    """添加同义词 from a missed search: the missed words prefilled, the operator names what they
    mean; afterwards the same search is offered to check that it now finds something."""
    missed = request.GET.get("word", "").strip()[:100]
    form = SynonymForm(request.POST or None, initial={"word": missed})
    if request.method == "POST" and form.is_valid():
        synonym = _save(request, form)
        messages.success(
            request,
            f"已添加同义词：{synonym.words}。可以再检索一次“{form.cleaned_data['word']}”核对结果。",
        )
        return redirect("institutions:synonyms")
    word = form["word"].value() or ""
    return render(
        request,
        "institutions/synonym_add.html",
        {"form": form, "word": word, "vocabulary": _vocabulary(str(word))},
        status=400 if form.errors else 200,
    )


@role_required(*BACK_OFFICE)
def delete_synonym(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that asks first; the group goes on POST."""
    synonym = get_object_or_404(Synonym, pk=pk)
    if request.method == "POST":
        audit.record(request.user, "synonym.deleted", synonym, reason=synonym.words)
        synonym.delete()
        VOCABULARY.forget()
        messages.success(request, f"已删除同义词：{synonym.words}")
        return redirect("institutions:synonyms")
    return render(request, "institutions/synonym_delete.html", {"synonym": synonym})
